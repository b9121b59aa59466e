package dev.labjournal.query.alerts.evaluation.repository;

import dev.labjournal.query.alerts.rules.AlertRule.Goal;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs a metric is compared with, read with the tenant's connection of {@link TenantScope#read}. A baseline run
 * is a run of the tenant that <em>succeeded</em> (MLflow's FINISHED: failed, killed, lost and running runs never
 * serve as a baseline), other than the run judged, that ended before a given time and whose last value of the metric
 * is finite.
 */
@ApplicationScoped
public class BaselineReader {

    /** A baseline candidate: a run and the last value of the metric. */
    public record Candidate(String runId, double value) {}

    /** Best first (by the goal), or newest first. */
    public enum Order {
        BEST,
        NEWEST
    }

    private static final String CANDIDATES = "SELECT r.run_id, s.last_value FROM runs r"
            + " JOIN metric_summaries s ON s.tenant_id = r.tenant_id AND s.run_id = r.run_id AND s.key = $1"
            + " WHERE " + TenantScope.predicate("r") + " AND r.status = 'succeeded' AND r.run_id <> $2"
            + " AND ($3::text IS NULL OR r.project = $3) AND ($4::timestamptz IS NULL OR r.end_time < $4)"
            + " AND s.last_value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)";

    private static final String BEST_MIN = " ORDER BY s.last_value, r.end_time DESC, r.run_id";
    private static final String BEST_MAX = " ORDER BY s.last_value DESC, r.end_time DESC, r.run_id";
    private static final String NEWEST = " ORDER BY r.end_time DESC, r.run_id DESC";
    private static final String PAGE = " LIMIT $5 OFFSET $6";

    private static final String PINNED = "SELECT s.run_id, s.last_value FROM metric_summaries s WHERE "
            + TenantScope.predicate("s") + " AND s.run_id = $1 AND s.key = $2"
            + " AND s.last_value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)";

    /**
     * The value of each run's point at the step, or else at the nearest earlier step (the latest of that step's
     * points): one index probe per run, the points of that one step read in the index's order and only they sorted by
     * time (as SeriesReader's first points: a plan that does not depend on whether the run's points were analysed).
     */
    private static final String AT_STEP = "SELECT r.run_id, p.value FROM runs r"
            + " JOIN metric_keys k ON k.tenant_id = r.tenant_id AND k.key = $2"
            + " CROSS JOIN LATERAL (SELECT value FROM (SELECT value, time FROM metric_points"
            + "   WHERE run_ref = r.ref AND key_ref = k.id AND step <= $3"
            + "   ORDER BY step DESC FETCH FIRST 1 ROWS WITH TIES) at_step ORDER BY time DESC LIMIT 1) p"
            + " WHERE " + TenantScope.predicate("r") + " AND r.run_id = ANY($1::text[])"
            + " AND p.value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)";

    /**
     * A page of baseline candidates.
     *
     * @param project the project they must belong to, or null for any
     * @param endedBefore the time they must have ended before, or null for any
     */
    public Uni<List<Candidate>> candidates(
            SqlConnection conn,
            String metric,
            String judgedRunId,
            String project,
            OffsetDateTime endedBefore,
            Order order,
            Goal goal,
            int limit,
            int offset) {
        String sql = CANDIDATES + (order == Order.NEWEST ? NEWEST : goal == Goal.MINIMIZE ? BEST_MIN : BEST_MAX) + PAGE;
        Tuple args = Tuple.from(new Object[] {metric, judgedRunId, project, endedBefore, limit, offset});
        return conn.preparedQuery(sql).execute(args).map(rows -> {
            List<Candidate> found = new ArrayList<>();
            for (Row row : rows) {
                found.add(new Candidate(row.getString(0), row.getDouble(1)));
            }
            return found;
        });
    }

    /** The pinned run's last finite value of the metric, or null. */
    public Uni<Candidate> pinned(SqlConnection conn, String runId, String metric) {
        return conn.preparedQuery(PINNED).execute(Tuple.of(runId, metric)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Candidate(row.getString(0), row.getDouble(1));
        });
    }

    /** Each run's finite value at {@code step} or the nearest earlier step, by run id; runs without one are absent. */
    public Uni<Map<String, Double>> valuesAtStep(SqlConnection conn, List<String> runIds, String metric, long step) {
        return conn.preparedQuery(AT_STEP)
                .execute(Tuple.of(runIds.toArray(String[]::new), metric, step))
                .map(rows -> {
                    Map<String, Double> values = new LinkedHashMap<>();
                    for (Row row : rows) {
                        values.put(row.getString(0), row.getDouble(1));
                    }
                    return values;
                });
    }
}
