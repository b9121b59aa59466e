package dev.labjournal.schemas.changes;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One run-changes message: a committed ingest batch changed the run {@code tenant}/{@code runId}, which is now at
 * {@code version}. Everything after {@code version} says what changed and may be empty: a change with nothing but
 * the version is a re-announcement, and a consumer that needs more re-reads the run from PostgreSQL.
 *
 * <p>Written and read by {@link RunChangeCodec}, which checks it against {@code run-changes.v1.json}; this record
 * only checks what the Java type itself needs (no null identity, no null collections).
 *
 * @param tenant the tenant of the run
 * @param runId the run id
 * @param version the run's version after the change, from 1
 * @param status the run's status after the change ({@code running}, {@code succeeded}, {@code failed}, {@code killed}
 *     or {@code lost}), or null when the change left it unchanged or the sender does not know it
 * @param finished whether this change finished the run
 * @param failed whether this change finished the run as failed (then {@code finished} is true as well)
 * @param metrics the metric keys this change added points to, each with its summary as stored after the change
 *     (unmodifiable)
 * @param tags the tags this change set (unmodifiable, sorted by key)
 * @param params the parameters this change set (unmodifiable, sorted by key)
 */
public record RunChange(
        String tenant,
        String runId,
        long version,
        String status,
        boolean finished,
        boolean failed,
        List<MetricChange> metrics,
        Map<String, String> tags,
        Map<String, String> params) {

    /** Copies the collections; sorts tags and params so that equal changes are written as equal bytes. */
    public RunChange {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(runId, "runId");
        metrics = List.copyOf(Objects.requireNonNull(metrics, "metrics"));
        tags = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(tags, "tags")));
        params = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(params, "params")));
    }

    /** A re-announcement: the run is at {@code version}, and nothing is said about what changed. */
    public RunChange(String tenant, String runId, long version) {
        this(tenant, runId, version, null, false, false, List.of(), Map.of(), Map.of());
    }

    /**
     * The summary of one metric key of the run after the change. Values may be NaN or infinite; they travel as the
     * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, as in run.metrics events.
     *
     * @param key the metric key
     * @param last the value of the last point, by step and then by time
     * @param min the smallest value, NaN points ignored; null when every point is NaN
     * @param max the largest value, NaN points ignored; null when every point is NaN
     * @param count the number of points, from 1
     * @param lastStep the step of the last point
     */
    public record MetricChange(String key, double last, Double min, Double max, long count, long lastStep) {
        /** Checks that the key is not null. */
        public MetricChange {
            Objects.requireNonNull(key, "key");
        }
    }
}
