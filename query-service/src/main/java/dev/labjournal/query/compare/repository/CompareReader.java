package dev.labjournal.query.compare.repository;

import dev.labjournal.query.compare.ComparedRun;
import dev.labjournal.query.compare.ComparedRun.Failure;
import dev.labjournal.query.compare.ComparedRun.MetricSummary;
import dev.labjournal.query.runs.repository.MetricValues;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a comparison needs of many runs: one query per table (runs, params, metric summaries) for all of them,
 * within one tenant: every method takes a connection of {@link TenantScope#read}.
 */
@ApplicationScoped
public class CompareReader {

    /** The scope's runs among the ids in $1 (every query here is confined by the transaction's tenant). */
    private static final String SELECTED = " WHERE " + TenantScope.PREDICATE + " AND run_id = ANY($1::text[])";

    private static final String RUNS = "SELECT run_id, name, project, team, user_name, status, failure_type,"
            + " failure_message, failure_step, start_time, end_time FROM runs" + SELECTED;
    private static final String PARAMS = "SELECT run_id, key, value FROM run_params" + SELECTED;
    private static final String METRICS = "SELECT run_id, key, last_value, min_value, max_value, last_step, count"
            + " FROM metric_summaries" + SELECTED;

    /**
     * The scope's runs among {@code runIds}, by id; ids that are not runs of the scope are absent.
     *
     * @param conn a connection of {@link TenantScope#read}
     */
    public Uni<Map<String, ComparedRun>> load(SqlConnection conn, List<String> runIds) {
        Tuple args = Tuple.of(runIds.toArray(String[]::new));
        Uni<RowSet<Row>> runs = conn.preparedQuery(RUNS).execute(args);
        Uni<RowSet<Row>> params = conn.preparedQuery(PARAMS).execute(args);
        Uni<RowSet<Row>> metrics = conn.preparedQuery(METRICS).execute(args);
        return Uni.combine().all().unis(runs, params, metrics).with(CompareReader::assemble);
    }

    private static Map<String, ComparedRun> assemble(
            RowSet<Row> runRows, RowSet<Row> paramRows, RowSet<Row> metricRows) {
        Map<String, Map<String, String>> params = new HashMap<>();
        for (Row row : paramRows) {
            params.computeIfAbsent(row.getString(0), id -> new HashMap<>()).put(row.getString(1), row.getString(2));
        }
        Map<String, Map<String, MetricSummary>> metrics = new HashMap<>();
        for (Row row : metricRows) {
            metrics.computeIfAbsent(row.getString(0), id -> new HashMap<>())
                    .put(
                            row.getString(1),
                            new MetricSummary(
                                    MetricValues.toJson(row.getDouble(2)),
                                    MetricValues.toJson(row.getDouble(3)),
                                    MetricValues.toJson(row.getDouble(4)),
                                    row.getLong(5),
                                    row.getLong(6)));
        }
        Map<String, ComparedRun> found = new HashMap<>();
        for (Row row : runRows) {
            String runId = row.getString(0);
            String failureType = row.getString(6);
            found.put(
                    runId,
                    new ComparedRun(
                            runId,
                            row.getString(1),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            row.getString(5),
                            failureType == null ? null : new Failure(failureType, row.getString(7), row.getLong(8)),
                            row.getOffsetDateTime(9),
                            row.getOffsetDateTime(10),
                            params.getOrDefault(runId, Map.of()),
                            metrics.getOrDefault(runId, Map.of())));
        }
        return found;
    }
}
