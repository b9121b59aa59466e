package dev.labjournal.query.alerts.delivery.repository;

import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads what a claimed delivery needs and records each attempt, always under the tenant wall of the delivery's tenant.
 *
 * <p>{@code alert_deliveries.attempts} counts the attempts of the current round: a redelivery starts a new round (and
 * a new retry window) at zero, while the attempt log keeps numbering on.
 */
@ApplicationScoped
public class DeliveryRepository {

    private static final String LOAD = "SELECT a.rule_id, a.run_id, a.document, c.type, c.url, c.secret,"
            + " c.disabled_at IS NOT NULL, d.attempts, s.attempted_at"
            + " FROM alert_deliveries d"
            + " JOIN alerts a ON a.tenant_id = d.tenant_id AND a.id = d.alert_id"
            + " JOIN alert_channels c ON c.tenant_id = a.tenant_id AND c.rule_id = a.rule_id AND c.position = d.position"
            + " LEFT JOIN LATERAL (SELECT max(t.attempt) AS last FROM alert_delivery_attempts t"
            + "   WHERE t.tenant_id = d.tenant_id AND t.alert_id = d.alert_id AND t.position = d.position) m ON true"
            + " LEFT JOIN alert_delivery_attempts s ON s.tenant_id = d.tenant_id AND s.alert_id = d.alert_id"
            + "   AND s.position = d.position AND s.attempt = m.last - d.attempts + 1 AND d.attempts > 0"
            + " WHERE " + TenantScope.predicate("d") + " AND d.alert_id = $1 AND d.position = $2";

    private static final String ATTEMPT = "INSERT INTO alert_delivery_attempts (tenant_id, alert_id, position, attempt,"
            + " attempted_at, duration_ms, status_code, error) SELECT current_setting('labjournal.tenant'), $1, $2,"
            + " coalesce(max(attempt), 0) + 1, $3::timestamptz, $4::int, $5::int, $6::text FROM alert_delivery_attempts"
            + " WHERE " + TenantScope.PREDICATE + " AND alert_id = $1 AND position = $2";

    private static final String DELIVERY = "UPDATE alert_deliveries SET attempts = attempts + 1, status = $3,"
            + " next_attempt_at = coalesce($4, next_attempt_at),"
            + " delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END"
            + " WHERE " + TenantScope.PREDICATE + " AND alert_id = $1 AND position = $2";

    private static final String END = "UPDATE alert_deliveries SET status = $3" + " WHERE " + TenantScope.PREDICATE
            + " AND alert_id = $1 AND position = $2";

    private static final String DISABLE_CHANNEL = "UPDATE alert_channels SET disabled_at = now(), disabled_reason = $3"
            + " WHERE " + TenantScope.PREDICATE + " AND position = $2 AND disabled_at IS NULL"
            + " AND rule_id = (SELECT rule_id FROM alerts WHERE " + TenantScope.PREDICATE + " AND id = $1)";

    private static final String OUTBOX_DONE = "DELETE FROM alert_outbox WHERE " + TenantScope.PREDICATE
            + " AND alert_id = $1 AND position = $2 AND next_attempt_at = $3";

    private static final String OUTBOX_LATER = "UPDATE alert_outbox SET next_attempt_at = $4 WHERE "
            + TenantScope.PREDICATE + " AND alert_id = $1 AND position = $2 AND next_attempt_at = $3";

    private final Pool pool;

    public DeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** The delivery of a claimed job, or null when its alert or channel no longer exists. */
    public Uni<DeliveryContext> load(OutboxJob job) {
        return scope(job)
                .read(
                        pool,
                        conn -> conn.preparedQuery(LOAD)
                                .execute(Tuple.of(job.alertId(), job.position()))
                                .map(rows -> {
                                    RowIterator<Row> it = rows.iterator();
                                    if (!it.hasNext()) {
                                        return null;
                                    }
                                    Row row = it.next();
                                    Object document = row.getValue(2);
                                    return new DeliveryContext(
                                            row.getString(0),
                                            row.getString(1),
                                            document instanceof JsonObject json
                                                    ? json
                                                    : new JsonObject(String.valueOf(document)),
                                            row.getString(3),
                                            row.getString(4),
                                            row.getString(5),
                                            row.getBoolean(6),
                                            row.getInteger(7),
                                            row.getOffsetDateTime(8));
                                }));
    }

    /** Records an attempt, the delivery's state after it, and moves or removes the job's outbox row. */
    public Uni<Void> record(OutboxJob job, AttemptOutcome outcome, boolean disableChannel) {
        return scope(job)
                .read(
                        pool,
                        conn -> conn.preparedQuery(ATTEMPT)
                                .execute(Tuple.from(new Object[] {
                                    job.alertId(),
                                    job.position(),
                                    outcome.attemptedAt(),
                                    outcome.durationMs(),
                                    outcome.statusCode(),
                                    outcome.error()
                                }))
                                .chain(() -> conn.preparedQuery(DELIVERY)
                                        .execute(Tuple.of(
                                                job.alertId(),
                                                job.position(),
                                                outcome.status(),
                                                outcome.nextAttemptAt())))
                                .chain(() -> disableChannel
                                        ? disable(conn, job, outcome.error())
                                        : Uni.createFrom().voidItem())
                                .chain(() -> outbox(conn, job, outcome)));
    }

    /** Ends a delivery without an attempt (its channel was disabled meanwhile, or it no longer exists). */
    public Uni<Void> end(OutboxJob job, String status) {
        return scope(job)
                .read(
                        pool,
                        conn -> conn.preparedQuery(END)
                                .execute(Tuple.of(job.alertId(), job.position(), status))
                                .chain(() -> conn.preparedQuery(OUTBOX_DONE)
                                        .execute(Tuple.of(job.alertId(), job.position(), job.leasedUntil())))
                                .replaceWithVoid());
    }

    private static Uni<Void> disable(SqlConnection conn, OutboxJob job, String reason) {
        return conn.preparedQuery(DISABLE_CHANNEL)
                .execute(Tuple.of(job.alertId(), job.position(), reason))
                .replaceWithVoid();
    }

    private static Uni<Void> outbox(SqlConnection conn, OutboxJob job, AttemptOutcome outcome) {
        if (outcome.ends()) {
            return conn.preparedQuery(OUTBOX_DONE)
                    .execute(Tuple.of(job.alertId(), job.position(), job.leasedUntil()))
                    .replaceWithVoid();
        }
        return conn.preparedQuery(OUTBOX_LATER)
                .execute(Tuple.of(job.alertId(), job.position(), job.leasedUntil(), outcome.nextAttemptAt()))
                .replaceWithVoid();
    }

    private static TenantScope scope(OutboxJob job) {
        return new TenantScope(job.tenant());
    }
}
