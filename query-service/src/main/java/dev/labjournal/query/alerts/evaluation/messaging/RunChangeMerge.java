package dev.labjournal.query.alerts.evaluation.messaging;

import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two changes of one run in one batch as one, so a batch is evaluated once per run: the later change (in partition
 * order) overrides what the earlier said; the run counts as finished, or failed, if either change finished or
 * failed it.
 */
final class RunChangeMerge {

    private RunChangeMerge() {}

    static RunChange merge(RunChange earlier, RunChange later) {
        Map<String, MetricChange> metrics = new TreeMap<>();
        earlier.metrics().forEach(m -> metrics.put(m.key(), m));
        later.metrics().forEach(m -> metrics.put(m.key(), m));
        Map<String, String> tags = new LinkedHashMap<>(earlier.tags());
        tags.putAll(later.tags());
        Map<String, String> params = new LinkedHashMap<>(earlier.params());
        params.putAll(later.params());
        return new RunChange(
                later.tenant(),
                later.runId(),
                Math.max(earlier.version(), later.version()),
                later.status() != null ? later.status() : earlier.status(),
                earlier.finished() || later.finished(),
                earlier.failed() || later.failed(),
                List.copyOf(metrics.values()),
                tags,
                params);
    }
}
