package dev.labjournal.query.alerts.delivery.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Claims due deliveries from {@code alert_outbox}, the one table the workers scan across tenants (it holds nothing but
 * identifiers). A claim locks due rows with {@code FOR UPDATE SKIP LOCKED}, so two instances claiming at once take
 * disjoint rows, and moves their {@code next_attempt_at} a lease ahead in the same statement, so that no other
 * instance takes them while this one delivers; a crashed instance's rows come due again when its lease ends.
 */
@ApplicationScoped
public class OutboxRepository {

    private static final String CLAIM = "WITH due AS (SELECT tenant_id, alert_id, position FROM alert_outbox"
            + " WHERE next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
            + " UPDATE alert_outbox o SET next_attempt_at = now() + make_interval(secs => $2)"
            + " FROM due WHERE o.tenant_id = due.tenant_id AND o.alert_id = due.alert_id"
            + " AND o.position = due.position RETURNING o.tenant_id, o.alert_id, o.position, o.next_attempt_at";

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Claims at most {@code limit} due deliveries for {@code lease}. */
    public Uni<List<OutboxJob>> claim(int limit, Duration lease) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(limit, lease.toMillis() / 1000.0))
                .map(rows -> {
                    List<OutboxJob> jobs = new ArrayList<>();
                    for (Row row : rows) {
                        jobs.add(new OutboxJob(
                                row.getString(0), row.getString(1), row.getInteger(2), row.getOffsetDateTime(3)));
                    }
                    return jobs;
                });
    }
}
