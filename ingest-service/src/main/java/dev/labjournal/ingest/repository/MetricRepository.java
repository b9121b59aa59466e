package dev.labjournal.ingest.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends metric points of a whole batch in one set-based statement and folds them into the per-key summaries in the
 * same statement, so a batch costs one round trip however many points it has.
 */
@ApplicationScoped
public class MetricRepository {

    private static final String APPEND = "WITH ins AS ("
            + "  INSERT INTO metric_points (tenant_id, run_id, key, step, time, value)"
            + "  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[],"
            + "    $6::float8[])"
            + "  ON CONFLICT DO NOTHING"
            + "  RETURNING tenant_id, run_id, key, step, time, value"
            + "), agg AS ("
            + "  SELECT tenant_id, run_id, key, count(*) AS n,"
            + "    min(value) FILTER (WHERE value <> 'NaN') AS min_value,"
            + "    max(value) FILTER (WHERE value <> 'NaN') AS max_value"
            + "  FROM ins GROUP BY tenant_id, run_id, key"
            + "), latest AS ("
            + "  SELECT DISTINCT ON (tenant_id, run_id, key) tenant_id, run_id, key, step, time, value"
            + "  FROM ins ORDER BY tenant_id, run_id, key, step DESC, time DESC"
            + ")"
            + " INSERT INTO metric_summaries"
            + "   (tenant_id, run_id, key, last_value, last_step, last_time, min_value, max_value, count)"
            + " SELECT a.tenant_id, a.run_id, a.key, l.value, l.step, l.time, a.min_value, a.max_value, a.n"
            + " FROM agg a JOIN latest l USING (tenant_id, run_id, key)"
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
            + "   count = metric_summaries.count + EXCLUDED.count";

    /** Column-wise buffer of the points of one batch. */
    public static final class Points {
        private final List<String> tenants = new ArrayList<>();
        private final List<String> runIds = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();
        private final List<Long> steps = new ArrayList<>();
        private final List<OffsetDateTime> times = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();

        public void add(String tenant, String runId, String key, long step, OffsetDateTime time, double value) {
            tenants.add(tenant);
            runIds.add(runId);
            keys.add(key);
            steps.add(step);
            times.add(time);
            values.add(value);
        }

        public int size() {
            return values.size();
        }
    }

    public Uni<Void> append(SqlConnection conn, Points points) {
        if (points.size() == 0) {
            return Uni.createFrom().voidItem();
        }
        Tuple args = Tuple.of(
                points.tenants.toArray(String[]::new),
                points.runIds.toArray(String[]::new),
                points.keys.toArray(String[]::new),
                points.steps.toArray(Long[]::new),
                points.times.toArray(OffsetDateTime[]::new),
                points.values.toArray(Double[]::new));
        return conn.preparedQuery(APPEND).execute(args).replaceWithVoid();
    }
}
