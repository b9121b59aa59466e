package dev.labjournal.query.alerts.rest;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The alerts of the caller's tenant, newest first, with their delivery on every channel; and redelivery. */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private static final String TOKEN_PREFIX = "seq:";

    private final CurrentCaller currentCaller;
    private final Pool pool;
    private final AlertReader reader;
    private final AlertRedelivery redelivery;
    private final AlertsApiConfig config;

    public AlertsResource(
            CurrentCaller currentCaller,
            Pool pool,
            AlertReader reader,
            AlertRedelivery redelivery,
            AlertsApiConfig config) {
        this.currentCaller = currentCaller;
        this.pool = pool;
        this.reader = reader;
        this.redelivery = redelivery;
        this.config = config;
    }

    @GET
    public Uni<AlertView.Page> list(
            @QueryParam("rule_id") String ruleId,
            @QueryParam("run_id") String runId,
            @QueryParam("kind") String kind,
            @QueryParam("limit") Integer limit,
            @QueryParam("page_token") String pageToken) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        AlertReader.Filter filter =
                new AlertReader.Filter(blankToNull(ruleId), blankToNull(runId), AlertKinds.filter(kind));
        int size = bounded(limit);
        Long before = pageToken == null || pageToken.isEmpty() ? null : decode(pageToken);
        return scope.read(pool, conn -> reader.page(conn, filter, before, size)).map(alerts -> {
            String next =
                    alerts.size() == size ? encode(alerts.get(alerts.size() - 1).seq()) : null;
            return new AlertView.Page(alerts, next);
        });
    }

    @GET
    @Path("/{id}")
    public Uni<AlertView> get(@PathParam("id") String id) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        return scope.read(pool, conn -> reader.find(conn, id)).map(alert -> {
            if (alert == null) {
                throw ApiException.notFound("no alert '" + id + "' in this tenant");
            }
            return alert;
        });
    }

    /**
     * Delivers the alert again on every enabled webhook and Kafka channel of its rule (202 with the alert, its
     * deliveries pending). Needs a key of the tenant with the {@code alerts} or {@code admin} scope.
     */
    @POST
    @Path("/{id}/redeliver")
    public Uni<Response> redeliver(@PathParam("id") String id) {
        Caller caller = currentCaller.get();
        caller.requireAnyOf(Scope.ALERTS, Scope.ADMIN);
        TenantScope scope = new TenantScope(caller.requireTenant());
        return scope.read(
                        pool,
                        conn -> reader.find(conn, id).chain(alert -> {
                            if (alert == null) {
                                throw ApiException.notFound("no alert '" + id + "' in this tenant");
                            }
                            return redelivery.redeliver(conn, id).chain(() -> reader.find(conn, id));
                        }))
                .map(alert -> Response.accepted(alert).build());
    }

    private int bounded(Integer limit) {
        int v = limit == null ? config.defaultLimit() : limit;
        if (v < 1 || v > config.maxLimit()) {
            throw ApiException.badRequest(
                    "invalid_limit", "limit must be between 1 and " + config.maxLimit(), Map.of("param", "limit"));
        }
        return v;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    static String encode(long seq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(TOKEN_PREFIX)) {
                return Long.parseLong(text.substring(TOKEN_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // not base64, or not a number: the same answer as any other token this API did not make
        }
        throw ApiException.badRequest(
                "invalid_page_token", "page_token is not a token returned by this API", Map.of("param", "page_token"));
    }
}
