package dev.labjournal.query.alerts.stream;

import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a tenant's alerts in sequence order, a bounded page at a time. Numbers become visible in increasing order (the
 * per-tenant sequence row is locked until the alert commits, V6), so "everything after n" never misses one committed
 * late.
 */
@ApplicationScoped
public class AlertStreamReader {

    /** An alert as the stream sends it. */
    public record StreamedAlert(long seq, String ruleId, String kind, String document) {}

    private static final String AFTER = "SELECT seq, rule_id, kind, document::text FROM alerts WHERE "
            + TenantScope.PREDICATE + " AND seq > $1 ORDER BY seq LIMIT $2";

    private static final String LAST =
            "SELECT coalesce(max(last_seq), 0) FROM alert_sequences WHERE " + TenantScope.PREDICATE;

    private final Pool pool;

    public AlertStreamReader(Pool pool) {
        this.pool = pool;
    }

    /** The scope's alerts with a sequence number above {@code afterSeq}, at most {@code limit}, in order. */
    public Uni<List<StreamedAlert>> after(TenantScope scope, long afterSeq, int limit) {
        return scope.read(
                pool,
                conn -> conn.preparedQuery(AFTER)
                        .execute(Tuple.of(afterSeq, limit))
                        .map(rows -> {
                            List<StreamedAlert> alerts = new ArrayList<>();
                            for (Row row : rows) {
                                alerts.add(new StreamedAlert(
                                        row.getLong(0), row.getString(1), row.getString(2), row.getString(3)));
                            }
                            return alerts;
                        }));
    }

    /** The scope's last sequence number handed out (0 before its first alert): where a new stream starts. */
    public Uni<Long> last(TenantScope scope) {
        return scope.read(
                pool,
                conn -> conn.preparedQuery(LAST)
                        .execute()
                        .map(rows -> rows.iterator().next().getLong(0)));
    }
}
