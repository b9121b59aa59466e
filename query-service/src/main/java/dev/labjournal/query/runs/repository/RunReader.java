package dev.labjournal.query.runs.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.runs.Run.Artifact;
import dev.labjournal.query.runs.Run.Failure;
import dev.labjournal.query.runs.Run.MetricSummary;
import dev.labjournal.query.runs.Run.Note;
import dev.labjournal.query.runs.Run.Source;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Loads runs with their params, tags, metric summaries, notes and artifacts, many runs per round trip, always within
 * one tenant: every method takes a connection of {@link TenantScope#read}.
 */
@ApplicationScoped
public class RunReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run in a tenant. */
    public record RunRef(String tenant, String runId) {}

    /** The scope's runs among the ids in $1 (every query here is confined by the transaction's tenant). */
    private static final String SELECTED = " WHERE " + TenantScope.PREDICATE + " AND run_id = ANY($1::text[])";

    private static final String RUNS = "SELECT tenant_id, run_id, project, team, name, user_name, status, started,"
            + " source_repo, source_commit, source_branch, source_dirty, entrypoint, hypothesis, datasets::text,"
            + " environment::text, fingerprint, failure_type, failure_message, failure_stacktrace, failure_step,"
            + " conclusion, start_time, end_time, last_event_time, version, extra::text FROM runs" + SELECTED;

    private static final String PARAMS =
            "SELECT tenant_id, run_id, key, value FROM run_params" + SELECTED + " ORDER BY key";
    private static final String TAGS =
            "SELECT tenant_id, run_id, key, value FROM run_tags" + SELECTED + " ORDER BY key";
    private static final String METRICS = "SELECT tenant_id, run_id, key, last_value, last_step, last_time,"
            + " min_value, max_value, count FROM metric_summaries" + SELECTED + " ORDER BY key";
    private static final String NOTES =
            "SELECT tenant_id, run_id, kind, text, time FROM run_notes" + SELECTED + " ORDER BY time";
    private static final String ARTIFACTS = "SELECT tenant_id, run_id, path, uri, digest, size_bytes, media_type, time"
            + " FROM run_artifacts" + SELECTED + " ORDER BY path";

    private static final String PAGE_OF_IDS =
            "SELECT run_id FROM runs WHERE " + TenantScope.PREDICATE + " AND run_id > $1 ORDER BY run_id LIMIT $2";

    /**
     * The ids of the scope's runs after {@code after}, in order.
     *
     * @param conn a connection of {@link TenantScope#read}
     */
    public Uni<List<String>> pageOfIds(SqlConnection conn, String after, int limit) {
        return conn.preparedQuery(PAGE_OF_IDS).execute(Tuple.of(after, limit)).map(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(row -> ids.add(row.getString(0)));
            return ids;
        });
    }

    /** The scope's run with this id, or null. */
    public Uni<Run> find(SqlConnection conn, String runId) {
        return load(conn, List.of(runId))
                .map(runs -> runs.isEmpty() ? null : runs.values().iterator().next());
    }

    /** The scope's runs that exist among {@code runIds}, by ref. */
    public Uni<Map<RunRef, Run>> load(SqlConnection conn, List<String> runIds) {
        Tuple args = Tuple.of(runIds.toArray(String[]::new));
        Uni<RowSet<Row>> runs = conn.preparedQuery(RUNS).execute(args);
        Uni<RowSet<Row>> params = conn.preparedQuery(PARAMS).execute(args);
        Uni<RowSet<Row>> tags = conn.preparedQuery(TAGS).execute(args);
        Uni<RowSet<Row>> metrics = conn.preparedQuery(METRICS).execute(args);
        Uni<RowSet<Row>> notes = conn.preparedQuery(NOTES).execute(args);
        Uni<RowSet<Row>> artifacts = conn.preparedQuery(ARTIFACTS).execute(args);
        return Uni.combine()
                .all()
                .unis(runs, params, tags, metrics, notes, artifacts)
                .with((r, p, t, m, n, a) -> assemble(r, p, t, m, n, a));
    }

    private static Map<RunRef, Run> assemble(
            RowSet<Row> runRows,
            RowSet<Row> paramRows,
            RowSet<Row> tagRows,
            RowSet<Row> metricRows,
            RowSet<Row> noteRows,
            RowSet<Row> artifactRows) {
        Map<RunRef, Map<String, String>> params = new HashMap<>();
        Map<RunRef, Map<String, String>> tags = new HashMap<>();
        Map<RunRef, List<MetricSummary>> metrics = new HashMap<>();
        Map<RunRef, List<Note>> notes = new HashMap<>();
        Map<RunRef, List<Artifact>> artifacts = new HashMap<>();
        group(
                paramRows,
                (ref, row) -> params.computeIfAbsent(ref, k -> new LinkedHashMap<>())
                        .put(row.getString(2), row.getString(3)));
        group(
                tagRows,
                (ref, row) ->
                        tags.computeIfAbsent(ref, k -> new LinkedHashMap<>()).put(row.getString(2), row.getString(3)));
        group(
                metricRows,
                (ref, row) -> metrics.computeIfAbsent(ref, k -> new ArrayList<>())
                        .add(new MetricSummary(
                                row.getString(2),
                                MetricValues.toJson(row.getDouble(3)),
                                row.getLong(4),
                                row.getOffsetDateTime(5),
                                MetricValues.toJson(row.getDouble(6)),
                                MetricValues.toJson(row.getDouble(7)),
                                row.getLong(8))));
        group(
                noteRows,
                (ref, row) -> notes.computeIfAbsent(ref, k -> new ArrayList<>())
                        .add(new Note(row.getString(2), row.getString(3), row.getOffsetDateTime(4))));
        group(
                artifactRows,
                (ref, row) -> artifacts
                        .computeIfAbsent(ref, k -> new ArrayList<>())
                        .add(new Artifact(
                                row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                row.getLong(5),
                                row.getString(6),
                                row.getOffsetDateTime(7))));
        Map<RunRef, Run> views = new HashMap<>();
        for (Row row : runRows) {
            RunRef ref = new RunRef(row.getString(0), row.getString(1));
            views.put(
                    ref,
                    new Run(
                            ref.tenant(),
                            ref.runId(),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            row.getString(5),
                            row.getString(6),
                            row.getBoolean(7),
                            new Source(
                                    row.getString(8),
                                    row.getString(9),
                                    row.getString(10),
                                    row.getBoolean(11),
                                    row.getString(12)),
                            row.getString(13),
                            parse(row.getString(14)),
                            parse(row.getString(15)),
                            parse(row.getString(26)),
                            row.getString(16),
                            row.getString(17) == null
                                    ? null
                                    : new Failure(
                                            row.getString(17), row.getString(18), row.getString(19), row.getLong(20)),
                            row.getString(21),
                            row.getOffsetDateTime(22),
                            row.getOffsetDateTime(23),
                            row.getOffsetDateTime(24),
                            row.getLong(25),
                            params.getOrDefault(ref, Map.of()),
                            tags.getOrDefault(ref, Map.of()),
                            metrics.getOrDefault(ref, List.of()),
                            notes.getOrDefault(ref, List.of()),
                            artifacts.getOrDefault(ref, List.of())));
        }
        return views;
    }

    private static void group(RowSet<Row> rows, BiConsumer<RunRef, Row> into) {
        for (Row row : rows) {
            into.accept(new RunRef(row.getString(0), row.getString(1)), row);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL returned jsonb that is not JSON", e);
        }
    }
}
