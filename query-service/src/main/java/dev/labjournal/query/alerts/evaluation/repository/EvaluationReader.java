package dev.labjournal.query.alerts.evaluation.repository;

import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an evaluation reads besides runs and baselines, with the tenant's connection of {@link TenantScope#read}: the
 * alerts already fired about the runs of a batch, when runs were created, a run's earlier duplicates, and the first
 * run of each failure group (migration V7).
 */
@ApplicationScoped
public class EvaluationReader {

    /** How many earlier duplicates an alert lists. */
    public static final int MAX_DUPLICATES = 100;

    /** An alert that exists: a rule fired about a run. */
    public record Fired(String ruleId, String runId, String kind) {}

    /** An earlier run with the same fingerprint, and how it ended. */
    public record Duplicate(String runId, String status, String failureType) {}

    private static final String FIRED =
            "SELECT rule_id, run_id, kind FROM alerts WHERE " + TenantScope.PREDICATE + " AND run_id = ANY($1::text[])";

    private static final String CREATED =
            "SELECT run_id, created_at FROM runs WHERE " + TenantScope.PREDICATE + " AND run_id = ANY($1::text[])";

    /** Runs of the same fingerprint created before this one (or with it, when their id sorts first). */
    private static final String EARLIER_DUPLICATES = "SELECT d.run_id, d.status, d.failure_type FROM runs r"
            + " JOIN runs d ON d.tenant_id = r.tenant_id AND d.fingerprint = r.fingerprint AND d.run_id <> r.run_id"
            + "  AND (d.created_at < r.created_at OR (d.created_at = r.created_at AND d.run_id < r.run_id))"
            + " WHERE " + TenantScope.predicate("r") + " AND r.run_id = $1"
            + " ORDER BY d.created_at DESC, d.run_id LIMIT " + MAX_DUPLICATES;

    /** The first run to claim a group keeps it; the unique key decides between concurrent claims. */
    private static final String CLAIM_GROUP = "INSERT INTO alert_failure_groups (tenant_id, failure_group,"
            + " first_run_id) VALUES (current_setting('labjournal.tenant'), $1, $2) ON CONFLICT DO NOTHING";

    private static final String FIRST_OF_GROUP =
            "SELECT first_run_id FROM alert_failure_groups WHERE " + TenantScope.PREDICATE + " AND failure_group = $1";

    public Uni<Set<Fired>> fired(SqlConnection conn, List<String> runIds) {
        return conn.preparedQuery(FIRED)
                .execute(Tuple.of(runIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<Fired> fired = new HashSet<>();
                    for (Row row : rows) {
                        fired.add(new Fired(row.getString(0), row.getString(1), row.getString(2)));
                    }
                    return fired;
                });
    }

    /** When each run's row was created (database time), by run id. */
    public Uni<Map<String, OffsetDateTime>> created(SqlConnection conn, List<String> runIds) {
        return conn.preparedQuery(CREATED)
                .execute(Tuple.of(runIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, OffsetDateTime> created = new HashMap<>();
                    for (Row row : rows) {
                        created.put(row.getString(0), row.getOffsetDateTime(1));
                    }
                    return created;
                });
    }

    /** The runs created before {@code runId} with its fingerprint, newest first. */
    public Uni<List<Duplicate>> earlierDuplicates(SqlConnection conn, String runId) {
        return conn.preparedQuery(EARLIER_DUPLICATES).execute(Tuple.of(runId)).map(rows -> {
            List<Duplicate> found = new ArrayList<>();
            for (Row row : rows) {
                found.add(new Duplicate(row.getString(0), row.getString(1), row.getString(2)));
            }
            return found;
        });
    }

    /**
     * Records that {@code runId} failed in {@code group} unless an earlier run did.
     *
     * @return the first failed run of the group: {@code runId} itself when the group is new
     */
    public Uni<String> firstOfGroup(SqlConnection conn, String group, String runId) {
        return conn.preparedQuery(CLAIM_GROUP)
                .execute(Tuple.of(group, runId))
                .chain(() -> conn.preparedQuery(FIRST_OF_GROUP).execute(Tuple.of(group)))
                .map(rows -> rows.iterator().next().getString(0));
    }
}
