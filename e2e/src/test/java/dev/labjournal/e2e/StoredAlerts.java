package dev.labjournal.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The alerts a tenant's rules fired, read from PostgreSQL's alerts table (the documents every channel carries). */
final class StoredAlerts {

    private StoredAlerts() {}

    /** The documents of the rule's alerts, in sequence order. */
    static List<JsonNode> ofRule(String tenant, String ruleId) throws Exception {
        return query(
                "SELECT document::text FROM alerts WHERE tenant_id = ? AND rule_id = ? ORDER BY seq", tenant, ruleId);
    }

    /** The documents of every alert of the tenant, in sequence order. */
    static List<JsonNode> ofTenant(String tenant) throws Exception {
        return query("SELECT document::text FROM alerts WHERE tenant_id = ? ORDER BY seq", tenant);
    }

    /** The status of a run as PostgreSQL has it, or null. */
    static String runStatus(String tenant, String runId) throws SQLException {
        try (Connection conn = Database.connect();
                PreparedStatement st =
                        conn.prepareStatement("SELECT status FROM runs WHERE tenant_id = ? AND run_id = ?")) {
            st.setString(1, tenant);
            st.setString(2, runId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The last step of a run's metric as PostgreSQL has it, or null. */
    static Long lastStep(String tenant, String runId, String key) throws SQLException {
        try (Connection conn = Database.connect();
                PreparedStatement st = conn.prepareStatement(
                        "SELECT last_step FROM metric_summaries WHERE tenant_id = ? AND run_id = ? AND key = ?")) {
            st.setString(1, tenant);
            st.setString(2, runId);
            st.setString(3, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static List<JsonNode> query(String sql, String... args) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        try (Connection conn = Database.connect();
                PreparedStatement st = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(Platform.JSON.readTree(rs.getString(1)));
                }
            }
        }
        return found;
    }
}
