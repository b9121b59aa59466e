package dev.labjournal.query.admin.rest;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.admin.service.ApiKeyService;
import dev.labjournal.query.admin.service.TenantService;
import dev.labjournal.query.indexing.repository.IndexFailures;
import dev.labjournal.query.indexing.service.IndexRebuild;
import dev.labjournal.query.indexing.service.IndexingService;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Tenants, API keys, the search index rebuild and its failures. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final CurrentCaller currentCaller;
    private final TenantService tenants;
    private final ApiKeyService keys;
    private static final int DEFAULT_FAILURES = 50;
    private static final int MAX_FAILURES = 500;

    private final IndexingService indexing;
    private final IndexRebuild rebuilds;

    public AdminResource(
            CurrentCaller currentCaller,
            TenantService tenants,
            ApiKeyService keys,
            IndexingService indexing,
            IndexRebuild rebuilds) {
        this.currentCaller = currentCaller;
        this.tenants = tenants;
        this.keys = keys;
        this.indexing = indexing;
        this.rebuilds = rebuilds;
    }

    public record NewTenant(String id, String name) {}

    public record NewApiKey(String tenant, String team, List<String> scopes, String description) {}

    @POST
    @Path("/tenants")
    public Uni<Response> createTenant(NewTenant request) {
        Caller caller = currentCaller.get();
        if (!caller.isPlatformAdmin()) {
            throw ApiException.forbidden("only a platform administrator key can create tenants");
        }
        if (request == null) {
            throw ApiException.badRequest("invalid_request", "body must be {\"id\": ..., \"name\": ...}", null);
        }
        return tenants.create(request.id(), request.name())
                .map(t -> Response.status(Response.Status.CREATED)
                        .entity(Map.of("id", t.id, "name", t.name))
                        .build());
    }

    @POST
    @Path("/api-keys")
    public Uni<Response> createApiKey(NewApiKey request) {
        Caller caller = currentCaller.get();
        caller.require(Scope.ADMIN);
        if (request == null) {
            throw ApiException.badRequest(
                    "invalid_request", "body must be {\"tenant\": ..., \"scopes\": [...], \"team\": ...}", null);
        }
        return keys.issue(caller, request.tenant(), request.team(), scopes(request.scopes()), request.description())
                .map(issued ->
                        Response.status(Response.Status.CREATED).entity(issued).build());
    }

    @DELETE
    @Path("/api-keys/{id}")
    public Uni<Response> revokeApiKey(@PathParam("id") UUID id) {
        Caller caller = currentCaller.get();
        caller.require(Scope.ADMIN);
        return keys.revoke(caller, id).map(done -> Response.noContent().build());
    }

    /**
     * Rebuilds the search documents from PostgreSQL: a tenant's, or every tenant's for a platform administrator.
     * With {@code rebuild=true} (platform administrator only), builds a new index generation with the current
     * mapping and moves the alias to it; searches answer from the old index until then.
     */
    @POST
    @Path("/reindex")
    public Uni<Object> reindex(@QueryParam("tenant") String tenant, @QueryParam("rebuild") boolean rebuild) {
        Caller caller = currentCaller.get();
        caller.require(Scope.ADMIN);
        if (rebuild) {
            if (!caller.isPlatformAdmin()) {
                throw ApiException.forbidden("only a platform administrator key can rebuild the search index");
            }
            if (tenant != null && !tenant.isBlank()) {
                throw ApiException.badRequest(
                        "invalid_request",
                        "a rebuild covers every tenant: drop tenant, or drop rebuild",
                        Map.of("param", "tenant"));
            }
            return rebuilds.rebuild().map(r -> r);
        }
        String scope = caller.isPlatformAdmin() ? tenant : caller.requireTenant();
        return indexing.reindexAll(scope).map(count -> Map.of("reindexed", count));
    }

    /**
     * The runs OpenSearch refused for their content, newest first: a tenant administrator sees its tenant's; a
     * platform administrator every tenant's, or one tenant's with {@code ?tenant=}.
     */
    @GET
    @Path("/index-failures")
    public Uni<IndexFailures.Page> indexFailures(
            @QueryParam("tenant") String tenant, @QueryParam("limit") Integer limit) {
        Caller caller = currentCaller.get();
        caller.require(Scope.ADMIN);
        int size = limit == null ? DEFAULT_FAILURES : limit;
        if (size < 1 || size > MAX_FAILURES) {
            throw ApiException.badRequest(
                    "invalid_limit", "limit must be between 1 and " + MAX_FAILURES, Map.of("param", "limit"));
        }
        TenantScope scope;
        if (!caller.isPlatformAdmin()) {
            scope = new TenantScope(caller.requireTenant());
        } else {
            scope = tenant == null || tenant.isBlank() ? null : new TenantScope(tenant);
        }
        return indexing.failures(scope, size);
    }

    private static Set<Scope> scopes(List<String> names) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (names == null) {
            return scopes;
        }
        for (int i = 0; i < names.size(); i++) {
            try {
                scopes.add(Scope.fromWireName(names.get(i)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_scope", e.getMessage(), Map.of("path", "$.scopes[" + i + "]"));
            }
        }
        return scopes;
    }
}
