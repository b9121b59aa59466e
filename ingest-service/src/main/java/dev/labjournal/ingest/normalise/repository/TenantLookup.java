package dev.labjournal.ingest.normalise.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Which tenants exist: events of any other tenant are not allowed in. */
@ApplicationScoped
public class TenantLookup {

    public Uni<Set<String>> existing(SqlConnection conn, Collection<String> tenantIds) {
        return conn.preparedQuery("SELECT id FROM tenants WHERE id = ANY($1::text[])")
                .execute(Tuple.of(tenantIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> found = new HashSet<>();
                    for (Row row : rows) {
                        found.add(row.getString(0));
                    }
                    return found;
                });
    }
}
