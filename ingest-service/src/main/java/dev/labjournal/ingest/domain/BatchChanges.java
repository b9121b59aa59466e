package dev.labjournal.ingest.domain;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch transaction changed, run by run, collected as its statements return what they stored: the run's
 * version and status after the touch, a run.finished that was applied, the tags and params that were written, and
 * the stored summary of every metric key that got points. Not thread-safe: one transaction applies its statements
 * one after the other. Made afresh for every attempt of a transaction, so a retried attempt starts empty.
 */
public final class BatchChanges {

    /** The mutable change of one run. */
    private static final class Change {
        private long version;
        private String status;
        private boolean finished;
        private boolean failed;
        private final Map<String, MetricChange> metrics = new TreeMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, String> params = new LinkedHashMap<>();

        Change(long version, String status) {
            this.version = version;
            this.status = status;
        }

        RunChange toRunChange(RunKey run) {
            return new RunChange(
                    run.tenant(),
                    run.runId(),
                    version,
                    status,
                    finished,
                    failed,
                    List.copyOf(metrics.values()),
                    tags,
                    params);
        }
    }

    private final Map<RunKey, Change> runs = new LinkedHashMap<>();
    private final Map<RunKey, Long> reannounced = new LinkedHashMap<>();

    /** The batch touched {@code run}: it is now at {@code version} with {@code status}. */
    public void touched(RunKey run, long version, String status) {
        runs.put(run, new Change(version, status));
    }

    /** A run.finished of the batch was applied: the run's status is now {@code status}. */
    public void finished(RunKey run, String status) {
        Change change = of(run);
        change.status = status;
        change.finished = true;
        change.failed = "failed".equals(status);
    }

    /** The batch wrote these tags (the values now stored); a later write of the same key replaces an earlier one. */
    public void tagsSet(RunKey run, Map<String, String> tags) {
        of(run).tags.putAll(tags);
    }

    /** The batch set these params (new ones only: params are immutable). */
    public void paramsSet(RunKey run, Map<String, String> params) {
        of(run).params.putAll(params);
    }

    /** The summary of a metric key of the run as stored after the batch's points. */
    public void metricStored(RunKey run, MetricChange metric) {
        of(run).metrics.put(metric.key(), metric);
    }

    /**
     * The batch held events of {@code run} that were seen before: it is announced again at its current version,
     * with nothing said about what changed, unless the batch changed it too (then its change says more).
     */
    public void reannounce(RunKey run, long version) {
        reannounced.put(run, version);
    }

    /** @return one change per run of the batch: the touched ones with what changed, the others as re-announcements */
    public Map<RunKey, RunChange> toChanges() {
        Map<RunKey, RunChange> changes = new LinkedHashMap<>();
        runs.forEach((run, change) -> changes.put(run, change.toRunChange(run)));
        reannounced.forEach(
                (run, version) -> changes.putIfAbsent(run, new RunChange(run.tenant(), run.runId(), version)));
        return changes;
    }

    /**
     * Two changes of one run, from two transactions (a batch applied event by event), as one: everything the older
     * said, overridden by what the newer (higher version) says. A metric summary or tag of the newer replaces that of
     * the older; params add up (they never change once set); the run counts as finished if either finished it, failed
     * as the newer finish says.
     */
    public static RunChange merge(RunChange a, RunChange b) {
        RunChange older = a.version() <= b.version() ? a : b;
        RunChange newer = older == a ? b : a;
        Map<String, MetricChange> metrics = new TreeMap<>();
        older.metrics().forEach(m -> metrics.put(m.key(), m));
        newer.metrics().forEach(m -> metrics.put(m.key(), m));
        Map<String, String> tags = new LinkedHashMap<>(older.tags());
        tags.putAll(newer.tags());
        Map<String, String> params = new LinkedHashMap<>(older.params());
        params.putAll(newer.params());
        return new RunChange(
                newer.tenant(),
                newer.runId(),
                newer.version(),
                newer.status() != null ? newer.status() : older.status(),
                older.finished() || newer.finished(),
                newer.finished() ? newer.failed() : older.failed(),
                List.copyOf(metrics.values()),
                tags,
                params);
    }

    private Change of(RunKey run) {
        Change change = runs.get(run);
        if (change == null) {
            throw new IllegalStateException("run " + run.asKey() + " changed but was not touched by its batch");
        }
        return change;
    }
}
