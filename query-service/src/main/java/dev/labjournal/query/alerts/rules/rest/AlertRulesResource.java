package dev.labjournal.query.alerts.rules.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.common.rest.JsonBodies;
import dev.labjournal.query.alerts.AlertsConfig;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.RuleDocuments;
import dev.labjournal.query.alerts.rules.service.RuleCursor;
import dev.labjournal.query.alerts.rules.service.RuleService;
import dev.labjournal.query.alerts.rules.service.TestFire;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
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
import java.util.Map;

/**
 * A tenant's alert rules: listing and reading need scope {@code read}, creating and deleting {@code alerts} (or
 * {@code admin}), as does test-firing one. Another tenant's rule is a 404, like a rule that does not exist.
 */
@Path("/api/v1/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
public class AlertRulesResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CurrentCaller currentCaller;
    private final RuleService rules;
    private final AlertsConfig config;
    private final TestFire testFire;

    public AlertRulesResource(CurrentCaller currentCaller, RuleService rules, AlertsConfig config, TestFire testFire) {
        this.currentCaller = currentCaller;
        this.rules = rules;
        this.config = config;
        this.testFire = testFire;
    }

    /** 201 with the rule, its id and, once only, the signing secret of each webhook channel. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(String body) {
        TenantScope scope = writer();
        AlertRule rule = RuleDocuments.parse(JsonBodies.parse(body));
        return rules.create(scope, rule).map(created -> {
            ObjectNode view = RuleDocuments.view(created.rule());
            ArrayNode channels = (ArrayNode) view.get("channels");
            for (int i = 0; i < channels.size(); i++) {
                String secret = created.secrets().get(i);
                if (secret != null) {
                    ((ObjectNode) channels.get(i)).put("secret", secret);
                }
            }
            return Response.status(Response.Status.CREATED).entity(view).build();
        });
    }

    @GET
    public Uni<ObjectNode> list(@QueryParam("limit") Integer limit, @QueryParam("page_token") String pageToken) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int size = limit == null ? config.defaultLimit() : limit;
        if (size < 1 || size > config.maxLimit()) {
            throw ApiException.badRequest(
                    "invalid_limit", "limit must be between 1 and " + config.maxLimit(), Map.of("param", "limit"));
        }
        RuleCursor after = pageToken == null || pageToken.isBlank() ? null : RuleCursor.decode(pageToken);
        return rules.page(scope, after, size).map(page -> {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode list = answer.putArray("rules");
            page.rules().forEach(rule -> list.add(RuleDocuments.view(rule)));
            answer.put(
                    "next_page_token", page.next() == null ? null : page.next().encode());
            return answer;
        });
    }

    @GET
    @Path("/{id}")
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        return rules.find(TenantScope.ofReader(currentCaller.get()), id).map(rule -> {
            if (rule == null) {
                throw notFound(id);
            }
            return RuleDocuments.view(rule);
        });
    }

    /** 204; the rule's alerts and their delivery log stay readable. */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return rules.delete(writer(), id).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return Response.noContent().build();
        });
    }

    /**
     * 200 with a synthetic alert ({@code "test": true}, not stored) and the outcome of sending it once through each
     * channel of the rule: delivered, failed (with the reason) or skipped (SSE, a disabled channel).
     */
    @POST
    @Path("/{id}/test")
    public Uni<ObjectNode> test(@PathParam("id") String id) {
        return testFire.fire(writer(), id).map(result -> {
            if (result == null) {
                throw notFound(id);
            }
            ObjectNode answer = JSON.createObjectNode().put("rule_id", id);
            answer.set("alert", tree(result.alert()));
            ArrayNode channels = answer.putArray("channels");
            for (TestFire.ChannelOutcome c : result.channels()) {
                channels.addObject()
                        .put("position", c.position())
                        .put("type", c.type())
                        .put("url", c.url())
                        .put("outcome", c.outcome())
                        .put("status_code", c.statusCode())
                        .put("duration_ms", c.durationMs())
                        .put("error", c.error());
            }
            return answer;
        });
    }

    private TenantScope writer() {
        Caller caller = currentCaller.get();
        caller.requireAnyOf(Scope.ALERTS, Scope.ADMIN);
        return new TenantScope(caller.requireTenant());
    }

    private static JsonNode tree(JsonObject document) {
        try {
            return JSON.readTree(document.encode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Vert.x encoded JSON that Jackson cannot read", e);
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no alert rule '" + id + "' in this tenant");
    }
}
