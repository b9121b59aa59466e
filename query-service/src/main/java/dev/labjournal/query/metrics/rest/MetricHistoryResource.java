package dev.labjournal.query.metrics.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.query.metrics.MetricHistories;
import dev.labjournal.query.metrics.MetricsConfig;
import dev.labjournal.query.metrics.service.MetricHistoryService;
import dev.labjournal.query.runs.rest.RunIdsParam;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** One metric of many runs of the caller's tenant, each downsampled: the data of a chart in one call. */
@Path("/api/v1/metrics/{key: .+}/history")
@Produces(MediaType.APPLICATION_JSON)
public class MetricHistoryResource {

    private final CurrentCaller currentCaller;
    private final MetricHistoryService histories;
    private final MetricsConfig config;

    public MetricHistoryResource(CurrentCaller currentCaller, MetricHistoryService histories, MetricsConfig config) {
        this.currentCaller = currentCaller;
        this.histories = histories;
        this.config = config;
    }

    @GET
    public Uni<MetricHistories> histories(
            @PathParam("key") String key,
            @QueryParam("run_ids") String runIds,
            @QueryParam("max_points") String maxPoints,
            @QueryParam("start_step") String startStep,
            @QueryParam("end_step") String endStep) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        Integer max = HistoryParams.maxPoints(maxPoints, config);
        if (max == null) {
            throw HistoryParams.invalid(
                    "max_points",
                    "max_points is required in the bulk form (2 to " + config.maxPoints() + "); page one run's"
                            + " whole series with /api/v1/runs/{id}/metrics/{key}");
        }
        return histories.histories(
                scope,
                RunIdsParam.parse(runIds, config.maxRuns()),
                HistoryParams.key(key),
                HistoryParams.range(startStep, endStep),
                max);
    }
}
