package dev.labjournal.query.admin.rest;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.admin.service.ApiKeyService;
import dev.labjournal.query.admin.service.TenantService;
import dev.labjournal.query.indexing.service.IndexingService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/** Tenants, API keys and the search index rebuild. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final CurrentCaller currentCaller;
    private final TenantService tenants;
    private final ApiKeyService keys;
    private final IndexingService indexing;

    public AdminResource(
            CurrentCaller currentCaller, TenantService tenants, ApiKeyService keys, IndexingService indexing) {
        this.currentCaller = currentCaller;
        this.tenants = tenants;
        this.keys = keys;
        this.indexing = indexing;
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

    /** Rebuilds the search documents from PostgreSQL: a tenant's, or every tenant's for a platform administrator. */
    @POST
    @Path("/reindex")
    public Uni<Map<String, Object>> reindex(@QueryParam("tenant") String tenant) {
        Caller caller = currentCaller.get();
        caller.require(Scope.ADMIN);
        String scope = caller.isPlatformAdmin() ? tenant : caller.requireTenant();
        return indexing.reindexAll(scope).map(count -> Map.of("reindexed", count));
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
