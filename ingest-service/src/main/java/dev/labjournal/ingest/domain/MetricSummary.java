package dev.labjournal.ingest.domain;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import java.time.OffsetDateTime;

/** The summary of some points of one (run, key); min and max are null when every value was NaN. */
public record MetricSummary(
        RunKey run,
        String key,
        double lastValue,
        long lastStep,
        OffsetDateTime lastTime,
        Double min,
        Double max,
        long count) {}
