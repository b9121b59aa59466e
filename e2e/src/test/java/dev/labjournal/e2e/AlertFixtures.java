package dev.labjournal.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Rules and alerts written straight into PostgreSQL, as the database owner, exactly as the rules API and
 * {@code AlertStore.record} write them: an alert_rules row with its definition, its alert_channels (a webhook with its
 * URL and {@code whsec_} secret, sse, kafka), and an alert in one transaction (the tenant's next sequence number, the
 * alerts row with its document, one alert_deliveries and alert_outbox row per enabled webhook or Kafka channel, and
 * the {@code labjournal_alerts} notification at commit).
 *
 * <p>Why it exists now that the whole path is there (AlertsAcceptanceIT, and AlertDeliveryIT's signature and retry
 * test, make rules with POST /api/v1/alert-rules and fire them with real runs): a delivery, stream, tenancy, restart
 * or scale-out test needs alerts that exist at a moment it chooses (many at once, or while a service is down), with a
 * known sequence number and document, and nothing else varying. Here an alert is stored without ingest, run-changes
 * and the evaluation between, so each of those tests depends only on the part it is about.
 */
final class AlertFixtures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AlertFixtures() {}

    /** A channel of a rule: {@code webhook} (with its URL), {@code sse} or {@code kafka}. */
    record Channel(String type, String url) {
        static Channel webhook(String url) {
            return new Channel("webhook", url);
        }

        static Channel sse() {
            return new Channel("sse", null);
        }

        static Channel kafka() {
            return new Channel("kafka", null);
        }
    }

    /** A stored rule; {@code secret} signs its webhook deliveries (null without a webhook channel). */
    record Rule(String tenant, String id, String name, String secret, List<Channel> channels) {}

    /** A stored alert: its id, per-tenant sequence number and document. */
    record Fired(String id, long seq, String runId, ObjectNode document) {}

    /** Stores a metric_regression rule of {@code tenant} on project {@code project} with these channels. */
    static Rule rule(String tenant, String project, Channel... channels) throws SQLException {
        String id = "rule_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String name = "val_loss regressed on " + project;
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        ObjectNode definition = Platform.JSON
                .createObjectNode()
                .put("name", name)
                .put("project", project)
                .put("kind", "metric_regression")
                .put("metric", "val_loss")
                .put("goal", "minimize");
        definition.putObject("baseline").put("type", "best");
        definition.putObject("tolerance").put("relative", 0.05);
        definition.put("evaluate", "on_finish");
        ArrayNode channelList = definition.putArray("channels");
        boolean hasWebhook = false;
        for (Channel channel : channels) {
            ObjectNode c = channelList.addObject().put("type", channel.type());
            if (channel.url() != null) {
                c.put("url", channel.url());
            }
            hasWebhook |= channel.type().equals("webhook");
        }
        try (Connection conn = Database.connect()) {
            conn.setAutoCommit(false);
            try (PreparedStatement st = conn.prepareStatement("INSERT INTO alert_rules (tenant_id, id, name, kind,"
                    + " project, definition) VALUES (?, ?, ?, 'metric_regression', ?, ?::jsonb)")) {
                st.setString(1, tenant);
                st.setString(2, id);
                st.setString(3, name);
                st.setString(4, project);
                st.setString(5, definition.toString());
                st.executeUpdate();
            }
            try (PreparedStatement st = conn.prepareStatement("INSERT INTO alert_channels (tenant_id, rule_id,"
                    + " position, type, url, secret) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int position = 0; position < channels.length; position++) {
                    Channel channel = channels[position];
                    boolean webhook = channel.type().equals("webhook");
                    st.setString(1, tenant);
                    st.setString(2, id);
                    st.setInt(3, position);
                    st.setString(4, channel.type());
                    st.setString(5, webhook ? channel.url() : null);
                    st.setString(6, webhook ? secret : null);
                    st.addBatch();
                }
                st.executeBatch();
            }
            conn.commit();
        }
        return new Rule(tenant, id, name, hasWebhook ? secret : null, List.of(channels));
    }

    /**
     * Fires {@code rule} about a run of its project that regressed val_loss from 0.40 to {@code observed}, as
     * AlertStore.record does; a second call for the same run stores nothing and returns null.
     */
    static Fired fire(Rule rule, String runId, double observed) throws SQLException {
        String id = alertId(rule.id(), runId, "metric_regression");
        ObjectNode document = document(rule, id, runId, observed);
        long seq;
        try (Connection conn = Database.connect()) {
            conn.setAutoCommit(false);
            try (PreparedStatement st = conn.prepareStatement("INSERT INTO alert_sequences (tenant_id, last_seq)"
                    + " VALUES (?, 1) ON CONFLICT (tenant_id) DO UPDATE SET last_seq = alert_sequences.last_seq + 1"
                    + " RETURNING last_seq")) {
                st.setString(1, rule.tenant());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement st = conn.prepareStatement("INSERT INTO alerts (tenant_id, id, seq, rule_id, kind,"
                    + " run_id, project, document) VALUES (?, ?, ?, ?, 'metric_regression', ?, ?, ?::jsonb)"
                    + " ON CONFLICT DO NOTHING RETURNING id")) {
                st.setString(1, rule.tenant());
                st.setString(2, id);
                st.setLong(3, seq);
                st.setString(4, rule.id());
                st.setString(5, runId);
                st.setString(6, document.get("project").asText());
                st.setString(7, document.toString());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        conn.rollback();
                        return null;
                    }
                }
            }
            try (PreparedStatement st = conn.prepareStatement("INSERT INTO alert_deliveries (tenant_id, alert_id,"
                    + " position, channel_type, status) SELECT tenant_id, ?, position, type, 'pending'"
                    + " FROM alert_channels WHERE tenant_id = ? AND rule_id = ? AND type IN ('webhook', 'kafka')"
                    + " AND disabled_at IS NULL")) {
                st.setString(1, id);
                st.setString(2, rule.tenant());
                st.setString(3, rule.id());
                st.executeUpdate();
            }
            try (PreparedStatement st = conn.prepareStatement(
                    "INSERT INTO alert_outbox (tenant_id, alert_id, position)"
                            + " SELECT tenant_id, alert_id, position FROM alert_deliveries WHERE tenant_id = ? AND alert_id = ?")) {
                st.setString(1, rule.tenant());
                st.setString(2, id);
                st.executeUpdate();
            }
            try (PreparedStatement st = conn.prepareStatement("SELECT pg_notify('labjournal_alerts', ? || ':' || ?)")) {
                st.setString(1, rule.tenant());
                st.setString(2, Long.toString(seq));
                st.execute();
            }
            conn.commit();
        }
        return new Fired(id, seq, runId, document);
    }

    /** The alert documents the fixture wrote for these runs, in order. */
    static List<String> ids(List<Fired> fired) {
        List<String> ids = new ArrayList<>();
        fired.forEach(f -> ids.add(f.id()));
        return ids;
    }

    /** The alert id AlertIds gives: {@code alrt_} and the first 12 bytes of SHA-256(rule NUL run NUL kind), in hex. */
    static String alertId(String ruleId, String runId, String kind) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((ruleId + '\0' + runId + '\0' + kind).getBytes(StandardCharsets.UTF_8));
            return "alrt_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode document(Rule rule, String id, String runId, double observed) {
        String project = rule.name().substring("val_loss regressed on ".length());
        String baselineRun = runId + "-baseline";
        ObjectNode doc = Platform.JSON
                .createObjectNode()
                .put("id", id)
                .put("rule_id", rule.id())
                .put("rule_name", rule.name())
                .put("kind", "metric_regression")
                .put("project", project)
                .put("run_id", runId)
                .put("run_name", "run " + runId)
                .put("metric", "val_loss")
                .put("observed", observed)
                .put("baseline", 0.40)
                .put("delta", observed - 0.40)
                .put("relative_delta", (observed - 0.40) / 0.40)
                .putNull("step")
                .put("time", Instant.now().toString());
        doc.putArray("baseline_run_ids").add(baselineRun);
        doc.putObject("links")
                .put("run", "/api/v1/runs/" + runId)
                .put("compare", "/api/v1/compare?run_ids=" + runId + "," + baselineRun);
        doc.putNull("failure");
        doc.putNull("duplicates");
        return doc;
    }
}
