package dev.labjournal.query.metrics.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.query.metrics.MetricHistory;
import dev.labjournal.query.metrics.MetricsConfig;
import dev.labjournal.query.metrics.service.HistoryCursor;
import dev.labjournal.query.metrics.service.MetricHistoryService;
import dev.labjournal.query.metrics.service.MetricHistoryService.Request;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The history of one metric of one run of the caller's tenant. Keys may hold '/' (train/loss): the path takes it. */
@Path("/api/v1/runs/{id}/metrics/{key: .+}")
@Produces(MediaType.APPLICATION_JSON)
public class RunMetricsResource {

    private final CurrentCaller currentCaller;
    private final MetricHistoryService histories;
    private final MetricsConfig config;

    public RunMetricsResource(CurrentCaller currentCaller, MetricHistoryService histories, MetricsConfig config) {
        this.currentCaller = currentCaller;
        this.histories = histories;
        this.config = config;
    }

    @GET
    public Uni<MetricHistory> history(
            @PathParam("id") String runId,
            @PathParam("key") String key,
            @QueryParam("max_points") String maxPoints,
            @QueryParam("start_step") String startStep,
            @QueryParam("end_step") String endStep,
            @QueryParam("limit") String limit,
            @QueryParam("page_token") String pageToken) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        Integer max = HistoryParams.maxPoints(maxPoints, config);
        boolean paged = pageToken != null && !pageToken.isEmpty();
        if (max != null && (paged || limit != null)) {
            throw HistoryParams.invalid(
                    paged ? "page_token" : "limit",
                    "limit and page_token page the whole series; they do not go with max_points");
        }
        Request request = new Request(
                HistoryParams.range(startStep, endStep),
                max,
                HistoryParams.limit(limit, config),
                paged ? HistoryCursor.decode(pageToken) : null);
        return histories.history(scope, runId, HistoryParams.key(key), request);
    }
}
