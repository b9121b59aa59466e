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

    private static final String STARTED = "UPDATE runs SET team = u.team, name = u.name, user_name = u.user_name,"
            + " source_repo = u.source_repo, source_commit = u.source_commit, source_branch = u.source_branch,"
            + " source_dirty = u.source_dirty, entrypoint = u.entrypoint, hypothesis = u.hypothesis,"
            + " datasets = u.datasets::jsonb, environment = u.environment::jsonb, fingerprint = u.fingerprint,"
            + " start_time = u.start_time, started = true"
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],"
            + " $8::text[], $9::boolean[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],"
            + " $15::timestamptz[]) AS u(tenant_id, run_id, team, name, user_name, source_repo, source_commit,"
            + " source_branch, source_dirty, entrypoint, hypothesis, datasets, environment, fingerprint, start_time)"
            + " WHERE runs.tenant_id = u.tenant_id AND runs.run_id = u.run_id";

    /** Every team named is created; a project without a team takes the first team a run of it names. */
    private static final String ENSURE_TEAMS = "WITH named AS ("
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS n(tenant_id, team, project, pos)),"
            + " created AS (INSERT INTO teams (tenant_id, name) SELECT DISTINCT tenant_id, team FROM named"
            + " ON CONFLICT DO NOTHING),"
            + " first AS (SELECT DISTINCT ON (tenant_id, project) tenant_id, team, project FROM named"
            + " ORDER BY tenant_id, project, pos)"
            + " UPDATE projects SET team = first.team FROM first"
            + " WHERE projects.tenant_id = first.tenant_id AND projects.name = first.project AND projects.team IS NULL";

    private static final String FINISHED = "UPDATE runs SET status = u.status, failure_type = u.failure_type,"
            + " failure_message = u.failure_message, failure_stacktrace = u.failure_stacktrace,"
            + " failure_step = u.failure_step, conclusion = COALESCE(u.conclusion, runs.conclusion),"
            + " end_time = u.end_time"
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],"
            + " $8::text[], $9::timestamptz[]) AS u(tenant_id, run_id, status, failure_type, failure_message,"
            + " failure_stacktrace, failure_step, conclusion, end_time)"
            + " WHERE runs.tenant_id = u.tenant_id AND runs.run_id = u.run_id"
            + " AND (runs.end_time IS NULL OR runs.end_time <= u.end_time)"
            + " RETURNING runs.tenant_id, runs.run_id, runs.status";

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

    /** A run.started to apply: the run, its project and what the event says. */
    public record StartedRun(RunKey run, String project, Started started) {}

    /**
     * Applies run.started attributes, one statement for all runs, and names their teams (one more). Each run appears
     * once: when a batch holds two run.started of a run, the caller keeps the later, as applying both in order would.
     */
    public Uni<Void> applyStarted(SqlConnection conn, List<StartedRun> started) {
        if (started.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = started.size();
        Object[][] columns = new Object[15][];
        columns[0] = new String[n];
        columns[1] = new String[n];
        for (int c = 2; c < 8; c++) {
            columns[c] = new String[n];
        }
        columns[8] = new Boolean[n];
        for (int c = 9; c < 14; c++) {
            columns[c] = new String[n];
        }
        columns[14] = new OffsetDateTime[n];
        List<String> teamTenants = new ArrayList<>();
        List<String> teams = new ArrayList<>();
        List<String> teamProjects = new ArrayList<>();
        List<Integer> teamPositions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StartedRun r = started.get(i);
            Started s = r.started();
            Object[] row = {
                r.run().tenant(),
                r.run().runId(),
                s.team(),
                s.name(),
                s.user(),
                s.sourceRepo(),
                s.sourceCommit(),
                s.sourceBranch(),
                s.sourceDirty(),
                s.entrypoint(),
                s.hypothesis(),
                s.datasets().encode(),
                s.environment().encode(),
                s.fingerprint(),
                s.startTime()
            };
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
            if (s.team() != null) {
                teamTenants.add(r.run().tenant());
                teams.add(s.team());
                teamProjects.add(r.project());
                teamPositions.add(i);
            }
        }
        Uni<?> update = conn.preparedQuery(STARTED).execute(Tuple.from(columns));
        if (!teams.isEmpty()) {
            update = update.chain(() -> conn.preparedQuery(ENSURE_TEAMS)
                    .execute(Tuple.of(
                            teamTenants.toArray(String[]::new),
                            teams.toArray(String[]::new),
                            teamProjects.toArray(String[]::new),
                            teamPositions.toArray(Integer[]::new))));
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

    /** A run.finished to apply to a run. */
    public record FinishedRun(RunKey run, Finished finished) {}

    /**
     * Applies final statuses, one statement for all runs, each unless a later run.finished was applied already. Each
     * run appears once: of two run.finished of a run in one batch the caller keeps the one with the later end time
     * (the later of equal ones), which is what applying both in order would leave.
     *
     * @return the runs whose finish was applied, with their status now
     */
    public Uni<Map<RunKey, String>> applyFinished(SqlConnection conn, List<FinishedRun> finished) {
        if (finished.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = finished.size();
        String[] tenants = new String[n];
        String[] runIds = new String[n];
        String[] statuses = new String[n];
        String[] types = new String[n];
        String[] messages = new String[n];
        String[] stacktraces = new String[n];
        Long[] steps = new Long[n];
        String[] conclusions = new String[n];
        OffsetDateTime[] endTimes = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            FinishedRun r = finished.get(i);
            Finished f = r.finished();
            tenants[i] = r.run().tenant();
            runIds[i] = r.run().runId();
            statuses[i] = f.status();
            types[i] = f.failureType();
            messages[i] = f.failureMessage();
            stacktraces[i] = f.failureStacktrace();
            steps[i] = f.failureStep();
            conclusions[i] = f.conclusion();
            endTimes[i] = f.endTime();
        }
        Tuple args = Tuple.from(
                new Object[] {tenants, runIds, statuses, types, messages, stacktraces, steps, conclusions, endTimes});
        return conn.preparedQuery(FINISHED).execute(args).map(rows -> {
            Map<RunKey, String> applied = new HashMap<>();
            for (Row row : rows) {
                applied.put(new RunKey(row.getString(0), row.getString(1)), row.getString(2));
            }
            return applied;
        });
    }
}
