package dev.labjournal.ingest.normalise.repository;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes the runs table: placeholders, run.started attributes and the final status. */
@ApplicationScoped
public class RunRepository {

    /** A run touched by a batch: its project and the latest event time seen for it. */
    public record Touch(RunKey run, String project, OffsetDateTime lastEventTime) {}

    /**
     * A touched run's new version, its surrogate number (what metric points refer to it by) and its status after the
     * touch (a lost run is running again).
     */
    public record Touched(long version, long ref, String status) {}

    private static final String TOUCH = "INSERT INTO runs (tenant_id, run_id, project, last_event_time)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])"
            + " ON CONFLICT (tenant_id, run_id) DO UPDATE SET"
            + "   last_event_time = GREATEST(runs.last_event_time, EXCLUDED.last_event_time),"
            + "   status = CASE WHEN runs.status = 'lost' THEN 'running' ELSE runs.status END,"
            + "   version = runs.version + 1,"
            + "   updated_at = now()"
            + " RETURNING tenant_id, run_id, version, ref, status";

    private static final String ENSURE_PROJECTS = "INSERT INTO projects (tenant_id, name)"
            + " SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING";

    private static final String STARTED = "UPDATE runs SET team = $3, name = $4, user_name = $5, source_repo = $6,"
            + " source_commit = $7, source_branch = $8, source_dirty = $9, entrypoint = $10, hypothesis = $11,"
            + " datasets = $12, environment = $13, fingerprint = $14, start_time = $15, started = true"
            + " WHERE tenant_id = $1 AND run_id = $2";

    private static final String ENSURE_TEAM = "WITH team AS ("
            + " INSERT INTO teams (tenant_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING)"
            + " UPDATE projects SET team = $2 WHERE tenant_id = $1 AND name = $3 AND team IS NULL";

    private static final String FINISHED = "UPDATE runs SET status = $3, failure_type = $4, failure_message = $5,"
            + " failure_stacktrace = $6, failure_step = $7, conclusion = COALESCE($8, conclusion), end_time = $9"
            + " WHERE tenant_id = $1 AND run_id = $2 AND (end_time IS NULL OR end_time <= $9)"
            + " RETURNING status";

    private static final String MARK_LOST = "WITH marked AS ("
            + " UPDATE runs SET status = 'lost', version = version + 1, updated_at = now()"
            + " WHERE status = 'running' AND updated_at < now() - make_interval(secs => $1)"
            + " RETURNING tenant_id, run_id, version)"
            + " SELECT * FROM marked"
            + " UNION ALL SELECT tenant_id, run_id, version FROM runs"
            + " WHERE status = 'lost' AND updated_at >= now() - make_interval(secs => $2)";

    private static final String MERGE_EXTRA = "UPDATE runs SET extra = runs.extra || u.extra::jsonb"
            + " FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tenant_id, run_id, extra)"
            + " WHERE runs.tenant_id = u.tenant_id AND runs.run_id = u.run_id";

    private static final String VERSIONS = "SELECT tenant_id, run_id, version FROM runs"
            + " WHERE (tenant_id, run_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))";

    /**
     * Marks running runs that received no event for {@code silence} (by server time, so client clocks do not matter)
     * as lost; returns their new versions, and those of runs marked lost within the last {@code resend}, so that a
     * run-changes message lost to a failed publish or a crash is sent again by a later sweep (the index ignores
     * versions it has). A later event brings a lost run back to running.
     */
    public Uni<Map<RunKey, Long>> markLost(Pool pool, Duration silence, Duration resend) {
        return pool.preparedQuery(MARK_LOST)
                .execute(Tuple.of(silence.toMillis() / 1000.0, resend.toMillis() / 1000.0))
                .map(RunRepository::versionsOf);
    }

    /** The current version of each run that exists. */
    public Uni<Map<RunKey, Long>> versions(SqlConnection conn, Set<RunKey> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple args = Tuple.of(
                keys.stream().map(RunKey::tenant).toArray(String[]::new),
                keys.stream().map(RunKey::runId).toArray(String[]::new));
        return conn.preparedQuery(VERSIONS).execute(args).map(RunRepository::versionsOf);
    }

    /**
     * Creates each run as a placeholder if it does not exist yet (an event may come before run.started), records
     * activity, and bumps the version once per batch. Returns the new version and the ref of every run. Rows are written in key
     * order, so concurrent batches take their row locks in the same order and cannot deadlock.
     */
    public Uni<Map<RunKey, Touched>> touch(SqlConnection conn, List<Touch> touches) {
        List<String> tenants = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        List<String> projects = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        List<Touch> ordered = new ArrayList<>(touches);
        ordered.sort(Comparator.comparing((Touch t) -> t.run().tenant())
                .thenComparing(t -> t.run().runId()));
        for (Touch t : ordered) {
            tenants.add(t.run().tenant());
            runIds.add(t.run().runId());
            projects.add(t.project());
            times.add(t.lastEventTime());
        }
        String[] tenantArray = tenants.toArray(String[]::new);
        String[] projectArray = projects.toArray(String[]::new);
        return conn.preparedQuery(ENSURE_PROJECTS)
                .execute(Tuple.of(tenantArray, projectArray))
                .chain(() -> conn.preparedQuery(TOUCH)
                        .execute(Tuple.of(
                                tenantArray,
                                runIds.toArray(String[]::new),
                                projectArray,
                                times.toArray(OffsetDateTime[]::new))))
                .map(rows -> {
                    Map<RunKey, Touched> touched = new HashMap<>();
                    for (Row row : rows) {
                        touched.put(
                                new RunKey(row.getString(0), row.getString(1)),
                                new Touched(row.getLong(2), row.getLong(3), row.getString(4)));
                    }
                    return touched;
                });
    }

    /**
     * Merges unknown members of events' data into the runs' extra: a member of the same name overwrites the stored
     * one. The runs must exist (touched by the batch, which holds their row locks already).
     *
     * @param extras per run, the members to merge, as a JSON object
     */
    public Uni<Void> mergeExtra(SqlConnection conn, Map<RunKey, String> extras) {
        if (extras.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map.Entry<RunKey, String>> ordered = new ArrayList<>(extras.entrySet());
        ordered.sort(
                Comparator.comparing((Map.Entry<RunKey, String> e) -> e.getKey().tenant())
                        .thenComparing(e -> e.getKey().runId()));
        Tuple args = Tuple.of(
                ordered.stream().map(e -> e.getKey().tenant()).toArray(String[]::new),
                ordered.stream().map(e -> e.getKey().runId()).toArray(String[]::new),
                ordered.stream().map(Map.Entry::getValue).toArray(String[]::new));
        return conn.preparedQuery(MERGE_EXTRA).execute(args).replaceWithVoid();
    }

    /** Rows of (tenant_id, run_id, version). */
    private static Map<RunKey, Long> versionsOf(RowSet<Row> rows) {
        Map<RunKey, Long> versions = new HashMap<>();
        for (Row row : rows) {
            versions.put(new RunKey(row.getString(0), row.getString(1)), row.getLong(2));
        }
        return versions;
    }

    /** The attributes a run.started event carries (everything but params and tags). */
    public record Started(
            String team,
            String name,
            String user,
            String sourceRepo,
            String sourceCommit,
            String sourceBranch,
            Boolean sourceDirty,
            String entrypoint,
            String hypothesis,
            JsonArray datasets,
            JsonObject environment,
            String fingerprint,
            OffsetDateTime startTime) {}

    public Uni<Void> applyStarted(SqlConnection conn, RunKey run, String project, Started s) {
        Tuple args = Tuple.tuple()
                .addString(run.tenant())
                .addString(run.runId())
                .addString(s.team())
                .addString(s.name())
                .addString(s.user())
                .addString(s.sourceRepo())
                .addString(s.sourceCommit())
                .addString(s.sourceBranch())
                .addBoolean(s.sourceDirty())
                .addString(s.entrypoint())
                .addString(s.hypothesis())
                .addValue(s.datasets())
                .addValue(s.environment())
                .addString(s.fingerprint())
                .addOffsetDateTime(s.startTime());
        Uni<?> update = conn.preparedQuery(STARTED).execute(args);
        if (s.team() != null) {
            update = update.chain(
                    () -> conn.preparedQuery(ENSURE_TEAM).execute(Tuple.of(run.tenant(), s.team(), project)));
        }
        return update.replaceWithVoid();
    }

    /** The outcome a run.finished event carries. */
    public record Finished(
            String status,
            String failureType,
            String failureMessage,
            String failureStacktrace,
            Long failureStep,
            String conclusion,
            OffsetDateTime endTime) {}

    /**
     * Applies the final status unless a later run.finished was applied already.
     *
     * @return whether it was applied
     */
    public Uni<Boolean> applyFinished(SqlConnection conn, RunKey run, Finished f) {
        Tuple args = Tuple.tuple()
                .addString(run.tenant())
                .addString(run.runId())
                .addString(f.status())
                .addString(f.failureType())
                .addString(f.failureMessage())
                .addString(f.failureStacktrace())
                .addLong(f.failureStep())
                .addString(f.conclusion())
                .addOffsetDateTime(f.endTime());
        return conn.preparedQuery(FINISHED).execute(args).map(rows -> rows.rowCount() > 0);
    }
}
