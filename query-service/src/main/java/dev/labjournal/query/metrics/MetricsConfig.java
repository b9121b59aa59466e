package dev.labjournal.query.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the metric history endpoints. */
@ConfigMapping(prefix = "labjournal.metrics")
public interface MetricsConfig {

    /** The largest max_points a request may ask for (the smallest is 2: one bucket's minimum and maximum). */
    @WithDefault("10000")
    int maxPoints();

    /** Points per page of a history read without max_points, when the request does not say. */
    @WithDefault("1000")
    int defaultLimit();

    /** The most points one page may hold. */
    @WithDefault("10000")
    int maxLimit();

    /** The most runs one bulk request may name. */
    @WithDefault("100")
    int maxRuns();
}
