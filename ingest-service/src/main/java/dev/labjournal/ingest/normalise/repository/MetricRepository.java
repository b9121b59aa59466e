package dev.labjournal.ingest.normalise.repository;

import dev.labjournal.ingest.domain.MetricBatch;
import dev.labjournal.ingest.domain.MetricKey;
import dev.labjournal.ingest.domain.MetricRollups;
import dev.labjournal.ingest.domain.MetricRollups.Rollup;
import dev.labjournal.ingest.domain.MetricSummary;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Appends the metric points of a whole batch in one set-based statement of plain fixed-width rows, merges the batch's
 * per-bucket rollups (computed in the JVM, {@link MetricRollups}) into metric_rollups in a second one, then folds the
 * batch's per-key summaries (computed in the JVM) into metric_summaries in a third, which returns the summaries as
 * stored (one row per run and key of the batch, for the run-changes message): three round trips per batch however
 * many points it has.
 */
@ApplicationScoped
public class MetricRepository {

    private static final String APPEND = "INSERT INTO metric_points (run_ref, key_ref, step, time, value)"
            + " SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::timestamptz[], $5::float8[])";

    private static final String LOWER = "(EXCLUDED.min_value < r.min_value OR (EXCLUDED.min_value = r.min_value"
            + " AND (EXCLUDED.min_step, EXCLUDED.min_time) < (r.min_step, r.min_time)))";

    private static final String HIGHER = "(EXCLUDED.max_value > r.max_value OR (EXCLUDED.max_value = r.max_value"
            + " AND (EXCLUDED.max_step, EXCLUDED.max_time) < (r.max_step, r.max_time)))";

    /**
     * A stored bucket keeps its minimum unless the batch's is lower (or equal and earlier by step, time), and likewise
     * its maximum: float8 comparison orders NaN above every number, as {@link MetricRollups} does.
     */
    private static final String ROLL_UP = "INSERT INTO metric_rollups AS r (run_ref, key_ref, level, bucket, count,"
            + "   min_step, min_time, min_value, max_step, max_time, max_value)"
            + " SELECT * FROM unnest($1::bigint[], $2::int[], $3::smallint[], $4::bigint[], $5::bigint[],"
            + "   $6::bigint[], $7::timestamptz[], $8::float8[], $9::bigint[], $10::timestamptz[], $11::float8[])"
            + " ON CONFLICT (run_ref, key_ref, level, bucket) DO UPDATE SET"
            + "   count = r.count + EXCLUDED.count,"
            + "   min_step = CASE WHEN " + LOWER + " THEN EXCLUDED.min_step ELSE r.min_step END,"
            + "   min_time = CASE WHEN " + LOWER + " THEN EXCLUDED.min_time ELSE r.min_time END,"
            + "   min_value = CASE WHEN " + LOWER + " THEN EXCLUDED.min_value ELSE r.min_value END,"
            + "   max_step = CASE WHEN " + HIGHER + " THEN EXCLUDED.max_step ELSE r.max_step END,"
            + "   max_time = CASE WHEN " + HIGHER + " THEN EXCLUDED.max_time ELSE r.max_time END,"
            + "   max_value = CASE WHEN " + HIGHER + " THEN EXCLUDED.max_value ELSE r.max_value END";

    private static final String SUMMARISE = "INSERT INTO metric_summaries"
            + "   (tenant_id, run_id, key, last_value, last_step, last_time, min_value, max_value, count)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[],"
            + "   $6::timestamptz[], $7::float8[], $8::float8[], $9::bigint[])"
            + " ON CONFLICT (tenant_id, run_id, key) DO UPDATE SET"
            + "   last_value = CASE WHEN (EXCLUDED.last_step, EXCLUDED.last_time)"
            + "       >= (metric_summaries.last_step, metric_summaries.last_time)"
            + "     THEN EXCLUDED.last_value ELSE metric_summaries.last_value END,"
            + "   last_time = CASE WHEN (EXCLUDED.last_step, EXCLUDED.last_time)"
            + "       >= (metric_summaries.last_step, metric_summaries.last_time)"
            + "     THEN EXCLUDED.last_time ELSE metric_summaries.last_time END,"
            + "   last_step = GREATEST(metric_summaries.last_step, EXCLUDED.last_step),"
            + "   min_value = LEAST(metric_summaries.min_value, EXCLUDED.min_value),"
            + "   max_value = GREATEST(metric_summaries.max_value, EXCLUDED.max_value),"
            + "   count = metric_summaries.count + EXCLUDED.count"
            + " RETURNING tenant_id, run_id, key, last_value, min_value, max_value, count, last_step";

    /** The summary of one metric key of a run as stored after the batch. */
    public record StoredSummary(RunKey run, MetricChange metric) {}

    /**
     * Writes the batch's points, rollups and summaries.
     *
     * @param runRefs the surrogate number of every run the batch touched
     * @param keyRefs the id of every metric key of the batch
     * @return the stored summary of every (run, key) the batch added points to, over all points of the run
     */
    public Uni<List<StoredSummary>> append(
            SqlConnection conn, MetricBatch batch, Map<RunKey, Long> runRefs, Map<MetricKey, Integer> keyRefs) {
        if (batch.size() == 0) {
            return Uni.createFrom().item(List.of());
        }
        int n = batch.size();
        Long[] runColumn = new Long[n];
        Integer[] keyColumn = new Integer[n];
        Long[] steps = new Long[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[] values = new Double[n];
        MetricRollups rollups = new MetricRollups();
        RunKey run = null;
        Long runRef = null;
        String key = null;
        Integer keyRef = null;
        for (int i = 0; i < n; i++) {
            if (batch.run(i) != run) {
                run = batch.run(i);
                runRef = runRefs.get(run);
                key = null;
            }
            if (!batch.key(i).equals(key)) {
                key = batch.key(i);
                keyRef = keyRefs.get(new MetricKey(run.tenant(), key));
            }
            runColumn[i] = runRef;
            keyColumn[i] = keyRef;
            steps[i] = batch.step(i);
            times[i] = batch.time(i);
            values[i] = batch.value(i);
            rollups.add(runRef, keyRef, steps[i], times[i], values[i]);
        }
        Tuple points = Tuple.tuple()
                .addValue(runColumn)
                .addValue(keyColumn)
                .addValue(steps)
                .addValue(times)
                .addValue(values);
        return conn.preparedQuery(APPEND)
                .execute(points)
                .chain(() -> rollUp(conn, rollups.rollups()))
                .chain(() -> summarise(conn, batch.summaries()));
    }

    private static Uni<RowSet<Row>> rollUp(SqlConnection conn, List<Rollup> rollups) {
        int n = rollups.size();
        Long[] runRefs = new Long[n];
        Integer[] keyRefs = new Integer[n];
        Short[] levels = new Short[n];
        Long[] buckets = new Long[n];
        Long[] counts = new Long[n];
        Long[] minSteps = new Long[n];
        OffsetDateTime[] minTimes = new OffsetDateTime[n];
        Double[] minValues = new Double[n];
        Long[] maxSteps = new Long[n];
        OffsetDateTime[] maxTimes = new OffsetDateTime[n];
        Double[] maxValues = new Double[n];
        for (int i = 0; i < n; i++) {
            Rollup r = rollups.get(i);
            runRefs[i] = r.runRef();
            keyRefs[i] = r.keyRef();
            levels[i] = (short) r.level();
            buckets[i] = r.bucket();
            counts[i] = r.count();
            minSteps[i] = r.min().step();
            minTimes[i] = r.min().time();
            minValues[i] = r.min().value();
            maxSteps[i] = r.max().step();
            maxTimes[i] = r.max().time();
            maxValues[i] = r.max().value();
        }
        Tuple args = Tuple.tuple()
                .addValue(runRefs)
                .addValue(keyRefs)
                .addValue(levels)
                .addValue(buckets)
                .addValue(counts)
                .addValue(minSteps)
                .addValue(minTimes)
                .addValue(minValues)
                .addValue(maxSteps)
                .addValue(maxTimes)
                .addValue(maxValues);
        return conn.preparedQuery(ROLL_UP).execute(args);
    }

    /** Upserts in key order, so concurrent batches lock summary rows in the same order. */
    private static Uni<List<StoredSummary>> summarise(SqlConnection conn, List<MetricSummary> unordered) {
        List<MetricSummary> summaries = unordered.stream()
                .sorted(Comparator.comparing((MetricSummary s) -> s.run().tenant())
                        .thenComparing(s -> s.run().runId())
                        .thenComparing(MetricSummary::key))
                .toList();
        int n = summaries.size();
        String[] tenants = new String[n];
        String[] runIds = new String[n];
        String[] keys = new String[n];
        Double[] lastValues = new Double[n];
        Long[] lastSteps = new Long[n];
        OffsetDateTime[] lastTimes = new OffsetDateTime[n];
        Double[] mins = new Double[n];
        Double[] maxes = new Double[n];
        Long[] counts = new Long[n];
        for (int i = 0; i < n; i++) {
            MetricSummary s = summaries.get(i);
            tenants[i] = s.run().tenant();
            runIds[i] = s.run().runId();
            keys[i] = s.key();
            lastValues[i] = s.lastValue();
            lastSteps[i] = s.lastStep();
            lastTimes[i] = s.lastTime();
            mins[i] = s.min();
            maxes[i] = s.max();
            counts[i] = s.count();
        }
        Tuple args = Tuple.tuple()
                .addValue(tenants)
                .addValue(runIds)
                .addValue(keys)
                .addValue(lastValues)
                .addValue(lastSteps)
                .addValue(lastTimes)
                .addValue(mins)
                .addValue(maxes)
                .addValue(counts);
        return conn.preparedQuery(SUMMARISE).execute(args).map(MetricRepository::stored);
    }

    private static List<StoredSummary> stored(RowSet<Row> rows) {
        List<StoredSummary> stored = new ArrayList<>(rows.size());
        for (Row row : rows) {
            stored.add(new StoredSummary(
                    new RunKey(row.getString(0), row.getString(1)),
                    new MetricChange(
                            row.getString(2),
                            row.getDouble(3),
                            row.getDouble(4),
                            row.getDouble(5),
                            row.getLong(6),
                            row.getLong(7))));
        }
        return stored;
    }
}
