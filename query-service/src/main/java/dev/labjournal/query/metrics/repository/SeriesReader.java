package dev.labjournal.query.metrics.repository;

import dev.labjournal.query.metrics.service.BucketFold;
import dev.labjournal.query.metrics.service.DownsamplePlan;
import dev.labjournal.query.metrics.service.Sample;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metric series (points and their rollups, migration V5) by the surrogate numbers of run and key, always within
 * one tenant: every method takes a connection of {@link TenantScope#read}, whose row-level security shows points and
 * rollups of the tenant's runs only. Nothing here holds more than a page or the buckets of a plan in memory.
 */
@ApplicationScoped
public class SeriesReader {

    /** Rows fetched per round trip while folding rollups and points into buckets. */
    private static final int FETCH = 4096;

    /** A run of the tenant and, when it has the metric, its series. */
    public record Series(String runId, long runRef, Integer keyRef, Long count) {

        public boolean hasKey() {
            return keyRef != null && count != null;
        }
    }

    private static final String SERIES = "SELECT r.run_id, r.ref, k.id, s.count FROM runs r"
            + " LEFT JOIN metric_keys k ON k.tenant_id = r.tenant_id AND k.key = $2"
            + " LEFT JOIN metric_summaries s ON s.tenant_id = r.tenant_id AND s.run_id = r.run_id AND s.key = $2"
            + " WHERE " + TenantScope.predicate("r") + " AND r.run_id = ANY($1::text[])";

    private static final String IN_RANGE = "run_ref = $1 AND key_ref = $2 AND step BETWEEN $3 AND $4";

    /*
     * The first points by (step, time, value), read in the index's order (run, key, step) and then sorted: the inner
     * query takes the first rows by step and every row tied with the last of them (WITH TIES), which holds the first
     * rows by (step, time, value), and only those are sorted. Written as one ORDER BY step, time, value LIMIT, the
     * plan depended on the statistics: right after a run's million points were stored, before autovacuum analysed
     * them, PostgreSQL expected one row, read all million and sorted them (0.6 s instead of 2 ms; bench/README.md).
     */
    private static final String FIRST_POINTS = "SELECT step, time, value FROM (SELECT step, time, value"
            + " FROM metric_points WHERE " + IN_RANGE + " ORDER BY step FETCH FIRST $5 ROWS WITH TIES) first"
            + " ORDER BY step, time, value LIMIT $5";

    private static final String LAST_STEP =
            "SELECT step FROM metric_points WHERE " + IN_RANGE + " ORDER BY step DESC LIMIT 1";

    /** Raw points of the left edge, the rollup rows, raw points of the right edge: (count, min point, max point). */
    private static final String BUCKET_ROWS = "SELECT 1::bigint, step, time, value, step, time, value"
            + " FROM metric_points WHERE " + IN_RANGE
            + " UNION ALL SELECT count, min_step, min_time, min_value, max_step, max_time, max_value"
            + " FROM metric_rollups WHERE run_ref = $1 AND key_ref = $2 AND level = $5 AND bucket BETWEEN $6 AND $7"
            + " UNION ALL SELECT 1::bigint, step, time, value, step, time, value"
            + " FROM metric_points WHERE run_ref = $1 AND key_ref = $2 AND step BETWEEN $8 AND $9";

    private static final String COUNT_OF = "SELECT count(*) FROM metric_points"
            + " WHERE run_ref = $1 AND key_ref = $2 AND step = $3 AND time = $4 AND value = $5";

    /** As FIRST_POINTS, after a point. */
    private static final String PAGE_AFTER = "SELECT step, time, value FROM (SELECT step, time, value"
            + " FROM metric_points WHERE " + IN_RANGE + " AND step >= $5 AND (step, time, value) > ($5, $6, $7)"
            + " ORDER BY step FETCH FIRST $8 ROWS WITH TIES) page ORDER BY step, time, value LIMIT $8";

    /** The tenant's runs among {@code runIds}, by id, with their series of {@code key} if they have one. */
    public Uni<Map<String, Series>> series(SqlConnection conn, List<String> runIds, String key) {
        return conn.preparedQuery(SERIES)
                .execute(Tuple.of(runIds.toArray(String[]::new), key))
                .map(rows -> {
                    Map<String, Series> found = new LinkedHashMap<>();
                    for (Row row : rows) {
                        found.put(
                                row.getString(0),
                                new Series(row.getString(0), row.getLong(1), row.getInteger(2), row.getLong(3)));
                    }
                    return found;
                });
    }

    /** The first {@code limit} points of the series in [from, to], by step, time, value. */
    public Uni<List<Sample>> firstPoints(SqlConnection conn, Series series, long from, long to, int limit) {
        return conn.preparedQuery(FIRST_POINTS)
                .execute(Tuple.of(series.runRef(), series.keyRef(), from, to, limit))
                .map(SeriesReader::samples);
    }

    /** The highest step of the series in [from, to]; the range holds at least one point. */
    public Uni<Long> lastStep(SqlConnection conn, Series series, long from, long to) {
        return conn.preparedQuery(LAST_STEP)
                .execute(Tuple.of(series.runRef(), series.keyRef(), from, to))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Folds the rollup rows and edge points the plan names into its buckets, streaming them through a cursor. */
    public Uni<BucketFold> fold(SqlConnection conn, Series series, DownsamplePlan plan) {
        BucketFold fold = new BucketFold(plan);
        Tuple args = Tuple.tuple()
                .addValue(series.runRef())
                .addValue(series.keyRef())
                .addValue(plan.leftEdge().from())
                .addValue(plan.leftEdge().to())
                .addValue((short) plan.level())
                .addValue(plan.rollupBuckets().from())
                .addValue(plan.rollupBuckets().to())
                .addValue(plan.rightEdge().from())
                .addValue(plan.rightEdge().to());
        return conn.prepare(BUCKET_ROWS).chain(statement -> {
            Cursor cursor = statement.cursor(args);
            return drain(cursor, fold).eventually(statement::close).replaceWith(fold);
        });
    }

    private static Uni<Void> drain(Cursor cursor, BucketFold fold) {
        return cursor.read(FETCH).chain(rows -> {
            for (Row row : rows) {
                fold.add(
                        row.getLong(0),
                        new Sample(row.getLong(1), row.getOffsetDateTime(2), row.getDouble(3)),
                        new Sample(row.getLong(4), row.getOffsetDateTime(5), row.getDouble(6)));
            }
            return cursor.hasMore() ? drain(cursor, fold) : cursor.close();
        });
    }

    /** How many points of the series equal this one in step, time and value. */
    public Uni<Long> countOf(SqlConnection conn, Series series, Sample point) {
        return conn.preparedQuery(COUNT_OF)
                .execute(Tuple.tuple()
                        .addValue(series.runRef())
                        .addValue(series.keyRef())
                        .addValue(point.step())
                        .addValue(point.time())
                        .addValue(point.value()))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The first {@code limit} points of the series in [from, to] after {@code after} by step, time, value. */
    public Uni<List<Sample>> pageAfter(SqlConnection conn, Series series, long from, long to, Sample after, int limit) {
        return conn.preparedQuery(PAGE_AFTER)
                .execute(Tuple.tuple()
                        .addValue(series.runRef())
                        .addValue(series.keyRef())
                        .addValue(from)
                        .addValue(to)
                        .addValue(after.step())
                        .addValue(after.time())
                        .addValue(after.value())
                        .addValue(limit))
                .map(SeriesReader::samples);
    }

    private static List<Sample> samples(RowSet<Row> rows) {
        List<Sample> samples = new ArrayList<>(rows.size());
        for (Row row : rows) {
            samples.add(new Sample(row.getLong(0), row.getOffsetDateTime(1), row.getDouble(2)));
        }
        return samples;
    }
}
