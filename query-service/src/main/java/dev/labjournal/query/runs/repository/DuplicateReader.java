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

    private static final String DUPLICATES = "SELECT run_id, name, status, failure_type, start_time, end_time,"
            + " count(*) OVER () AS total,"
            + " count(*) FILTER (WHERE status = 'succeeded') OVER () AS succeeded,"
            + " count(*) FILTER (WHERE status = 'failed') OVER () AS failed,"
            + " count(*) FILTER (WHERE status = 'killed') OVER () AS killed,"
            + " count(*) FILTER (WHERE status = 'lost') OVER () AS lost,"
            + " count(*) FILTER (WHERE status = 'running') OVER () AS running"
            + " FROM runs WHERE " + TenantScope.PREDICATE + " AND fingerprint = $1 AND run_id IS DISTINCT FROM $2"
            + " ORDER BY start_time DESC NULLS LAST, run_id LIMIT " + MAX_LISTED;

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
        return conn.preparedQuery(FINGERPRINT).execute(Tuple.of(runId)).chain(found -> {
            if (found.size() == 0) {
                return Uni.createFrom().nullItem();
            }
            return listed(conn, found.iterator().next().getString(0), runId);
        });
    }

    /**
     * The runs of the scope's tenant with this fingerprint: what a run about to start would repeat.
     *
     * @param conn a connection of {@link TenantScope#read}
     */
    public Uni<Duplicates> ofFingerprint(SqlConnection conn, String fingerprint) {
        return listed(conn, fingerprint, null);
    }

    private Uni<Duplicates> listed(SqlConnection conn, String fingerprint, String exceptRunId) {
        return conn.preparedQuery(DUPLICATES)
                .execute(Tuple.of(fingerprint, exceptRunId))
                .map(rows -> {
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
                        total = row.getLong("total");
                        for (String status : STATUSES) {
                            outcomes.put(status, row.getLong(status));
                        }
                    }
                    return new Duplicates(fingerprint, total, outcomes, runs);
                });
    }
}
