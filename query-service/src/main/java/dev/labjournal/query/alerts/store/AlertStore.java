package dev.labjournal.query.alerts.store;

import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Stores an alert, once per (rule, run, kind), together with what delivers it, in the caller's transaction: the alert
 * row with the tenant's next sequence number, one pending delivery and one outbox row per enabled webhook or Kafka
 * channel of the rule, and a notification on {@value #CHANNEL} (payload {@code tenant:seq}) that PostgreSQL sends at
 * commit, so that every instance's SSE streams and delivery workers learn of it at once. A restart between storing
 * and delivering loses nothing: delivery works from the outbox.
 */
@ApplicationScoped
public class AlertStore {

    /** The PostgreSQL notification channel of new alerts. */
    public static final String CHANNEL = "labjournal_alerts";

    private static final String TENANT = "current_setting('labjournal.tenant')";

    /** Takes the tenant's next number; the row lock it takes is held to commit, so numbers commit in order. */
    private static final String NEXT_SEQ = "INSERT INTO alert_sequences (tenant_id, last_seq) VALUES (" + TENANT
            + ", 1) ON CONFLICT (tenant_id) DO UPDATE SET last_seq = alert_sequences.last_seq + 1 RETURNING last_seq";

    private static final String INSERT = "INSERT INTO alerts (tenant_id, id, seq, rule_id, kind, run_id, project,"
            + " document) VALUES (" + TENANT + ", $1, $2, $3, $4, $5, $6, $7)"
            + " ON CONFLICT DO NOTHING RETURNING id";

    private static final String DELIVERIES = "INSERT INTO alert_deliveries (tenant_id, alert_id, position,"
            + " channel_type, status) SELECT tenant_id, $1, position, type, 'pending' FROM alert_channels"
            + " WHERE " + TenantScope.PREDICATE + " AND rule_id = $2 AND type IN ('webhook', 'kafka')"
            + " AND disabled_at IS NULL";

    private static final String OUTBOX = "INSERT INTO alert_outbox (tenant_id, alert_id, position)"
            + " SELECT tenant_id, alert_id, position FROM alert_deliveries WHERE " + TenantScope.PREDICATE
            + " AND alert_id = $1";

    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', " + TENANT + " || ':' || $1)";

    /**
     * Stores {@code alert} unless the alert of its rule, run and kind exists already.
     *
     * @param conn a connection of {@link TenantScope#read} (its transaction is the alert's)
     * @return the stored alert, or empty when it existed (a replay)
     */
    public Uni<Optional<StoredAlert>> record(SqlConnection conn, NewAlert alert) {
        String id = alert.id();
        return conn.preparedQuery(NEXT_SEQ).execute().chain(seqRows -> {
            long seq = seqRows.iterator().next().getLong(0);
            var document = alert.document().copy().put("id", id);
            Tuple row = Tuple.from(
                    new Object[] {id, seq, alert.ruleId(), alert.kind(), alert.runId(), alert.project(), document});
            return conn.preparedQuery(INSERT)
                    .execute(row)
                    .chain(inserted -> stored(conn, inserted, alert.ruleId(), new StoredAlert(id, seq, document)));
        });
    }

    private static Uni<Optional<StoredAlert>> stored(
            SqlConnection conn, RowSet<Row> inserted, String ruleId, StoredAlert alert) {
        if (inserted.rowCount() == 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        return conn.preparedQuery(DELIVERIES)
                .execute(Tuple.of(alert.id(), ruleId))
                .chain(() -> conn.preparedQuery(OUTBOX).execute(Tuple.of(alert.id())))
                .chain(() -> conn.preparedQuery(NOTIFY).execute(Tuple.of(Long.toString(alert.seq()))))
                .replaceWith(Optional.of(alert));
    }
}
