package dev.labjournal.query.alerts.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads alerts with their deliveries and attempts, always within one tenant (connections of TenantScope.read). */
@ApplicationScoped
public class AlertReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Filters of a list; null members do not filter. */
    public record Filter(String ruleId, String runId, String kind) {}

    private static final String COLUMNS =
            "SELECT id, seq, rule_id, kind, run_id, created_at, document::text FROM alerts" + " WHERE "
                    + TenantScope.PREDICATE;

    private static final String PAGE = COLUMNS
            + " AND ($1::text IS NULL OR rule_id = $1) AND ($2::text IS NULL OR run_id = $2)"
            + " AND ($3::text IS NULL OR kind = $3) AND ($4::bigint IS NULL OR seq < $4)"
            + " ORDER BY seq DESC LIMIT $5";

    private static final String ONE = COLUMNS + " AND id = $1";

    private static final String DELIVERIES = "SELECT d.alert_id, d.position, d.channel_type, c.url, d.status,"
            + " d.attempts, d.next_attempt_at, d.delivered_at, c.disabled_reason"
            + " FROM alert_deliveries d JOIN alerts a ON a.tenant_id = d.tenant_id AND a.id = d.alert_id"
            + " JOIN alert_channels c ON c.tenant_id = a.tenant_id AND c.rule_id = a.rule_id AND c.position = d.position"
            + " WHERE " + TenantScope.predicate("d") + " AND d.alert_id = ANY($1::text[]) ORDER BY d.position";

    private static final String ATTEMPTS = "SELECT t.alert_id, t.position, t.attempt, t.attempted_at, t.duration_ms,"
            + " t.status_code, t.error FROM alert_deliveries d CROSS JOIN LATERAL (SELECT * FROM alert_delivery_attempts t"
            + "   WHERE t.tenant_id = d.tenant_id AND t.alert_id = d.alert_id AND t.position = d.position"
            + "   ORDER BY t.attempt DESC LIMIT $2) t"
            + " WHERE " + TenantScope.predicate("d") + " AND d.alert_id = ANY($1::text[]) ORDER BY t.attempt";

    private final AlertsApiConfig config;

    public AlertReader(AlertsApiConfig config) {
        this.config = config;
    }

    /** The newest alerts matching {@code filter} with a sequence number below {@code beforeSeq} (null: all). */
    public Uni<List<AlertView>> page(SqlConnection conn, Filter filter, Long beforeSeq, int limit) {
        return conn.preparedQuery(PAGE)
                .execute(Tuple.of(filter.ruleId(), filter.runId(), filter.kind(), beforeSeq, limit))
                .chain(rows -> withDeliveries(conn, rows));
    }

    /** The scope's alert with this id, or null. */
    public Uni<AlertView> find(SqlConnection conn, String id) {
        return conn.preparedQuery(ONE)
                .execute(Tuple.of(id))
                .chain(rows -> withDeliveries(conn, rows))
                .map(alerts -> alerts.isEmpty() ? null : alerts.get(0));
    }

    private Uni<List<AlertView>> withDeliveries(SqlConnection conn, Iterable<Row> alertRows) {
        List<Row> alerts = new ArrayList<>();
        alertRows.forEach(alerts::add);
        if (alerts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] ids = alerts.stream().map(row -> row.getString(0)).toArray(String[]::new);
        return conn.preparedQuery(DELIVERIES)
                .execute(Tuple.of(ids))
                .chain(deliveryRows -> conn.preparedQuery(ATTEMPTS)
                        .execute(Tuple.of(ids, config.attemptsPerDelivery()))
                        .map(attemptRows -> assemble(alerts, deliveryRows, attemptRows)));
    }

    private static List<AlertView> assemble(List<Row> alerts, Iterable<Row> deliveryRows, Iterable<Row> attemptRows) {
        Map<String, List<AlertView.DeliveryAttempt>> attempts = new HashMap<>();
        for (Row row : attemptRows) {
            attempts.computeIfAbsent(row.getString(0) + '\0' + row.getInteger(1), k -> new ArrayList<>())
                    .add(new AlertView.DeliveryAttempt(
                            row.getInteger(2),
                            row.getOffsetDateTime(3),
                            row.getInteger(4),
                            row.getInteger(5),
                            row.getString(6)));
        }
        Map<String, List<AlertView.Delivery>> deliveries = new LinkedHashMap<>();
        for (Row row : deliveryRows) {
            String alertId = row.getString(0);
            int position = row.getInteger(1);
            String status = row.getString(4);
            deliveries
                    .computeIfAbsent(alertId, k -> new ArrayList<>())
                    .add(new AlertView.Delivery(
                            position,
                            row.getString(2),
                            row.getString(3),
                            status,
                            row.getInteger(5),
                            "pending".equals(status) ? row.getOffsetDateTime(6) : null,
                            row.getOffsetDateTime(7),
                            row.getString(8),
                            attempts.getOrDefault(alertId + '\0' + position, List.of())));
        }
        List<AlertView> views = new ArrayList<>();
        for (Row row : alerts) {
            String id = row.getString(0);
            views.add(new AlertView(
                    id,
                    row.getLong(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getOffsetDateTime(5),
                    parse(row.getString(6)),
                    deliveries.getOrDefault(id, List.of())));
        }
        return views;
    }

    private static JsonNode parse(String document) {
        try {
            return JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
