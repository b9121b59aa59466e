package dev.labjournal.query.metrics;

import dev.labjournal.query.metrics.service.Sample;
import dev.labjournal.query.runs.repository.MetricValues;
import java.time.OffsetDateTime;

/** One point of a history as the API shows it: NaN and infinities as the strings "NaN", "Infinity", "-Infinity". */
public record MetricPoint(long step, OffsetDateTime time, Object value) {

    public static MetricPoint of(Sample sample) {
        return new MetricPoint(sample.step(), sample.time(), MetricValues.toJson(sample.value()));
    }
}
