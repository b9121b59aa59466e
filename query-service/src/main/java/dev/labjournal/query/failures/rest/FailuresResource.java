package dev.labjournal.query.failures.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.failures.FailureGroup;
import dev.labjournal.query.failures.FailuresConfig;
import dev.labjournal.query.failures.SimilarFailures;
import dev.labjournal.query.failures.service.FailureGroupSearch;
import dev.labjournal.query.failures.service.SimilarFailureSearch;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.runs.service.RunService;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.regex.Pattern;

/** Similar failures of a run, and the failure groups of the caller's tenant. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class FailuresResource {

    private static final Pattern GROUP_ID = Pattern.compile("[0-9a-f]{12}");

    private final CurrentCaller currentCaller;
    private final RunService runs;
    private final SimilarFailureSearch similar;
    private final FailureGroupSearch groups;
    private final FailuresConfig config;

    public FailuresResource(
            CurrentCaller currentCaller,
            RunService runs,
            SimilarFailureSearch similar,
            FailureGroupSearch groups,
            FailuresConfig config) {
        this.currentCaller = currentCaller;
        this.runs = runs;
        this.similar = similar;
        this.groups = groups;
        this.config = config;
    }

    /**
     * The failed runs of every team of the tenant that failed like this run, best first. The run is read from
     * PostgreSQL (404 when the tenant has none of that id), its signature computed as the indexer computes it.
     */
    @GET
    @Path("/runs/{id}/similar-failures")
    public Uni<SimilarFailures> similarFailures(@PathParam("id") String runId, @QueryParam("limit") Integer limit) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int size = bounded("limit", limit, config.similarDefaultLimit(), config.similarMaxLimit());
        return runs.find(scope, runId).chain(run -> {
            if (run == null) {
                throw ApiException.notFound("no run '" + runId + "' in this tenant");
            }
            FailureSignature signature = run.failure() == null
                    ? null
                    : FailureSignature.of(
                            run.failure().type(),
                            run.failure().message(),
                            run.failure().stacktrace());
            return similar.similar(scope, runId, signature, size);
        });
    }

    /** The tenant's failure groups of the last {@code days} days, most runs first. */
    @GET
    @Path("/failure-groups")
    public Uni<FailureGroup.Page> failureGroups(@QueryParam("days") Integer days, @QueryParam("limit") Integer limit) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int window = bounded("days", days, config.groupsDefaultDays(), config.groupsMaxDays());
        int size = bounded("limit", limit, config.groupsDefaultLimit(), config.groupsMaxLimit());
        return groups.list(scope, window, size).map(found -> new FailureGroup.Page(window, found));
    }

    /** One failure group of the tenant: how often, in which teams, since when, and its recent runs. */
    @GET
    @Path("/failure-groups/{group}")
    public Uni<FailureGroup> failureGroup(@PathParam("group") String group, @QueryParam("days") Integer days) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        if (!GROUP_ID.matcher(group).matches()) {
            throw ApiException.badRequest(
                    "invalid_failure_group",
                    "a failure group is 12 lowercase hex digits, not '" + group + "'",
                    Map.of("param", "group"));
        }
        int window = bounded("days", days, config.groupsDefaultDays(), config.groupsMaxDays());
        return groups.find(scope, group, window).map(found -> {
            if (found == null) {
                throw ApiException.notFound(
                        "no failure of group '" + group + "' in this tenant in the last " + window + " days");
            }
            return found;
        });
    }

    private static int bounded(String param, Integer value, int fallback, int max) {
        int v = value == null ? fallback : value;
        if (v < 1 || v > max) {
            throw ApiException.badRequest(
                    "invalid_" + param, param + " must be between 1 and " + max, Map.of("param", param));
        }
        return v;
    }
}
