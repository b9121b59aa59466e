package dev.labjournal.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads PostgreSQL directly, to compare what the platform stored with what was published. */
final class Database {

    /** Every table that holds a tenant's run data. */
    static final List<String> RUN_TABLES = List.of(
            "runs",
            "run_params",
            "run_tags",
            "run_notes",
            "run_artifacts",
            "metric_points",
            "metric_summaries",
            "processed_events");

    private Database() {}

    /** Where a table's rows of one tenant are counted: metric points carry only run and key numbers. */
    private static String tenantRows(String table) {
        return table.equals("metric_points") ? "metric_history" : table;
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                Platform.JDBC_URL,
                Platform.env("LJ_DB_USER", "labjournal"),
                Platform.env("LJ_DB_PASSWORD", "labjournal"));
    }

    /** Row counts per table for one tenant. */
    static Map<String, Long> counts(String tenant) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection conn = connect()) {
            for (String table : RUN_TABLES) {
                try (PreparedStatement st =
                        conn.prepareStatement("SELECT count(*) FROM " + tenantRows(table) + " WHERE tenant_id = ?")) {
                    st.setString(1, tenant);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    /** A digest of a tenant's data that ignores bookkeeping columns (versions, timestamps of processing). */
    static String contentDigest(String tenant) throws SQLException {
        String sql = "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
                + " SELECT concat_ws(',', run_id, project, team, name, status, started, fingerprint, failure_type,"
                + "   failure_message, failure_stacktrace, last_event_time) AS x FROM runs WHERE tenant_id = ?"
                + " UNION ALL SELECT concat_ws(',', run_id, key, value) FROM run_params WHERE tenant_id = ?"
                + " UNION ALL SELECT concat_ws(',', run_id, key, value) FROM run_tags WHERE tenant_id = ?"
                + " UNION ALL SELECT concat_ws(',', run_id, key, step, time, value) FROM metric_history"
                + "   WHERE tenant_id = ?"
                + " UNION ALL SELECT concat_ws(',', run_id, key, last_value, last_step, min_value, max_value, count)"
                + "   FROM metric_summaries WHERE tenant_id = ?"
                + " UNION ALL SELECT concat_ws(',', run_id, kind, text) FROM run_notes WHERE tenant_id = ?) t";
        try (Connection conn = connect();
                PreparedStatement st = conn.prepareStatement(sql)) {
            for (int i = 1; i <= 6; i++) {
                st.setString(i, tenant);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
