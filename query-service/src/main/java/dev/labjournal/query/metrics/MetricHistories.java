package dev.labjournal.query.metrics;

import java.util.List;

/**
 * One metric of many runs, each downsampled: what a chart of several runs needs in one call.
 *
 * @param series one per requested run of the caller's tenant, in the order asked for; a run without the metric has
 *     no points
 * @param notFound the requested ids that are no run of the caller's tenant
 */
public record MetricHistories(String key, List<Series> series, List<String> notFound) {

    public record Series(String runId, long totalPoints, boolean downsampled, List<MetricPoint> points) {}
}
