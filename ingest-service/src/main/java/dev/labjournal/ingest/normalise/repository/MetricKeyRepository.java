package dev.labjournal.ingest.normalise.repository;

import dev.labjournal.ingest.domain.MetricKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out the small numbers metric points refer to their key by. Ids never change once committed, so they are
 * cached; an id is cached only after the transaction that may have created it has committed ({@link #remember}).
 */
@ApplicationScoped
public class MetricKeyRepository {

    /** Past this many cached keys the cache starts afresh (a tenant could send endless distinct names). */
    static final int CACHE_LIMIT = 100_000;

    private static final String CREATE = "INSERT INTO metric_keys (tenant_id, key)"
            + " SELECT * FROM unnest($1::text[], $2::text[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING";

    private static final String READ = "SELECT k.tenant_id, k.key, k.id FROM metric_keys k"
            + " JOIN unnest($1::text[], $2::text[]) AS u (tenant_id, key) USING (tenant_id, key)";

    private final Map<MetricKey, Integer> committed = new ConcurrentHashMap<>();

    /** The id of every key, creating the missing ones within the caller's transaction. */
    public Uni<Map<MetricKey, Integer>> resolve(SqlConnection conn, Set<MetricKey> keys) {
        Map<MetricKey, Integer> ids = new HashMap<>();
        List<MetricKey> missing = new ArrayList<>();
        for (MetricKey key : keys) {
            Integer id = committed.get(key);
            if (id == null) {
                missing.add(key);
            } else {
                ids.put(key, id);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(ids);
        }
        missing.sort(Comparator.comparing(MetricKey::tenant).thenComparing(MetricKey::key));
        Tuple args = Tuple.of(
                missing.stream().map(MetricKey::tenant).toArray(String[]::new),
                missing.stream().map(MetricKey::key).toArray(String[]::new));
        return conn.preparedQuery(CREATE)
                .execute(args)
                .chain(() -> conn.preparedQuery(READ).execute(args))
                .map(rows -> {
                    for (Row row : rows) {
                        ids.put(new MetricKey(row.getString(0), row.getString(1)), row.getInteger(2));
                    }
                    if (ids.size() != keys.size()) {
                        throw new IllegalStateException("metric keys without an id after creating them: " + missing);
                    }
                    return ids;
                });
    }

    /** Caches ids once the transaction that resolved them has committed. */
    public void remember(Map<MetricKey, Integer> ids) {
        if (committed.size() + ids.size() > CACHE_LIMIT) {
            committed.clear();
        }
        committed.putAll(ids);
    }
}
