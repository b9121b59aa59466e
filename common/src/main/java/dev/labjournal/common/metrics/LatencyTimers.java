package dev.labjournal.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The timers of the pipeline's stages and delays: all publish p50 and p99 (and max), so dashboards read them alike. */
public final class LatencyTimers {

    private LatencyTimers() {}

    public static Timer register(MeterRegistry registry, String name, String description, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }
}
