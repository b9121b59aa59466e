package dev.labjournal.query.failures.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.failures.FailureGroup;
import dev.labjournal.query.failures.FailuresConfig;
import dev.labjournal.query.failures.service.FailureGroupSearch;
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

/** The failure groups of the caller's tenant: which failures happen, how often, in which teams. */
@Path("/api/v1/failure-groups")
@Produces(MediaType.APPLICATION_JSON)
public class FailureGroupsResource {

    private static final Pattern GROUP_ID = Pattern.compile("[0-9a-f]{12}");

    private final CurrentCaller currentCaller;
    private final FailureGroupSearch groups;
    private final FailuresConfig config;

    public FailureGroupsResource(CurrentCaller currentCaller, FailureGroupSearch groups, FailuresConfig config) {
        this.currentCaller = currentCaller;
        this.groups = groups;
        this.config = config;
    }

    /** The tenant's failure groups of the last {@code days} days, most runs first. */
    @GET
    public Uni<FailureGroup.Page> failureGroups(@QueryParam("days") Integer days, @QueryParam("limit") Integer limit) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int window = Limits.bounded("days", days, config.groupsDefaultDays(), config.groupsMaxDays());
        int size = Limits.bounded("limit", limit, config.groupsDefaultLimit(), config.groupsMaxLimit());
        return groups.list(scope, window, size).map(found -> new FailureGroup.Page(window, found));
    }

    /** One failure group of the tenant: how often, in which teams, since when, and its recent runs. */
    @GET
    @Path("/{group}")
    public Uni<FailureGroup> failureGroup(@PathParam("group") String group, @QueryParam("days") Integer days) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        if (!GROUP_ID.matcher(group).matches()) {
            throw ApiException.badRequest(
                    "invalid_failure_group",
                    "a failure group is 12 lowercase hex digits, not '" + group + "'",
                    Map.of("param", "group"));
        }
        int window = Limits.bounded("days", days, config.groupsDefaultDays(), config.groupsMaxDays());
        return groups.find(scope, group, window).map(found -> {
            if (found == null) {
                throw ApiException.notFound(
                        "no failure of group '" + group + "' in this tenant in the last " + window + " days");
            }
            return found;
        });
    }
}
