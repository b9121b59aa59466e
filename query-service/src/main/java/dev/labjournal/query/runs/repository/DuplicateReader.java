package dev.labjournal.query.runs.repository;

import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs that repeat a run: same project, commit, dataset digests and params (the fingerprint). */
@ApplicationScoped
public class DuplicateReader {

    /** How many duplicates are listed; the counts cover all of them. */
    public static final int MAX_LISTED = 100;

    private static final String DUPLICATES = "SELECT d.run_id, d.name, d.status, d.failure_type, d.start_time,"
            + " d.end_time, r.fingerprint, count(*) OVER () AS total,"
            + " count(*) FILTER (WHERE d.status = 'succeeded') OVER () AS succeeded,"
            + " count(*) FILTER (WHERE d.status = 'failed') OVER () AS failed,"
            + " count(*) FILTER (WHERE d.status = 'killed') OVER () AS killed,"
            + " count(*) FILTER (WHERE d.status = 'lost') OVER () AS lost,"
            + " count(*) FILTER (WHERE d.status = 'running') OVER () AS running"
            + " FROM runs r JOIN runs d ON d.tenant_id = r.tenant_id AND d.fingerprint = r.fingerprint"
            + "   AND d.run_id <> r.run_id"
            + " WHERE " + TenantScope.predicate("r") + " AND r.run_id = $1"
            + " ORDER BY d.start_time DESC NULLS LAST, d.run_id LIMIT " + MAX_LISTED;

    /** Every status a run can have: the outcome counts name each, zero included. */
    private static final List<String> STATUSES = List.of("succeeded", "failed", "killed", "lost", "running");

    private static final String FINGERPRINT =
            "SELECT fingerprint FROM runs WHERE " + TenantScope.PREDICATE + " AND run_id = $1";

    /** A run that repeats another. */
    public record Duplicate(
            String runId,
            String name,
            String status,
            String failureType,
            OffsetDateTime startTime,
            OffsetDateTime endTime) {}

    /** The duplicates of a run, with how many ended in each status. */
    public record Duplicates(String fingerprint, long count, Map<String, Long> outcomes, List<Duplicate> runs) {}

    /**
     * Null when the run does not exist in the scope's tenant.
     *
     * @param conn a connection of {@link TenantScope#read}
     */
    public Uni<Duplicates> of(SqlConnection conn, String runId) {
        Tuple args = Tuple.of(runId);
        return conn.preparedQuery(FINGERPRINT).execute(args).chain(found -> {
            if (found.size() == 0) {
                return Uni.createFrom().nullItem();
            }
            String fingerprint = found.iterator().next().getString(0);
            return conn.preparedQuery(DUPLICATES).execute(args).map(rows -> {
                List<Duplicate> runs = new ArrayList<>();
                Map<String, Long> outcomes = new TreeMap<>();
                STATUSES.forEach(status -> outcomes.put(status, 0L));
                long total = 0;
                for (Row row : rows) {
                    runs.add(new Duplicate(
                            row.getString(0),
                            row.getString(1),
                            row.getString(2),
                            row.getString(3),
                            row.getOffsetDateTime(4),
                            row.getOffsetDateTime(5)));
                    total = row.getLong(7);
                    for (String status : STATUSES) {
                        outcomes.put(status, row.getLong(status));
                    }
                }
                return new Duplicates(fingerprint, total, outcomes, runs);
            });
        });
    }
}
