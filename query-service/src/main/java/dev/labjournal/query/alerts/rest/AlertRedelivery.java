package dev.labjournal.query.alerts.rest;

import dev.labjournal.query.alerts.store.AlertStore;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Queues an alert's deliveries again: every webhook and Kafka delivery whose channel is enabled becomes pending with a
 * new round (attempts from zero, a fresh retry window), gets its outbox row back (or one due now), and the workers of
 * every instance are woken. The receivers get the same alert id again.
 */
@ApplicationScoped
public class AlertRedelivery {

    private static final String REQUEUE = "UPDATE alert_deliveries d SET status = 'pending', attempts = 0,"
            + " next_attempt_at = now(), delivered_at = NULL FROM alerts a, alert_channels c"
            + " WHERE " + TenantScope.predicate("d") + " AND d.alert_id = $1"
            + " AND a.tenant_id = d.tenant_id AND a.id = d.alert_id"
            + " AND c.tenant_id = a.tenant_id AND c.rule_id = a.rule_id AND c.position = d.position"
            + " AND c.disabled_at IS NULL";

    private static final String OUTBOX = "INSERT INTO alert_outbox (tenant_id, alert_id, position)"
            + " SELECT tenant_id, alert_id, position FROM alert_deliveries WHERE " + TenantScope.PREDICATE
            + " AND alert_id = $1 AND status = 'pending'"
            + " ON CONFLICT (tenant_id, alert_id, position) DO UPDATE SET next_attempt_at = now()";

    private static final String NOTIFY = "SELECT pg_notify('" + AlertStore.CHANNEL + "', tenant_id || ':' || seq)"
            + " FROM alerts WHERE " + TenantScope.PREDICATE + " AND id = $1";

    /**
     * @param conn a connection of {@link TenantScope#read}
     * @return the number of deliveries queued again
     */
    public Uni<Integer> redeliver(SqlConnection conn, String alertId) {
        return conn.preparedQuery(REQUEUE)
                .execute(Tuple.of(alertId))
                .chain(requeued -> conn.preparedQuery(OUTBOX)
                        .execute(Tuple.of(alertId))
                        .chain(() -> conn.preparedQuery(NOTIFY).execute(Tuple.of(alertId)))
                        .replaceWith(requeued.rowCount()));
    }
}
