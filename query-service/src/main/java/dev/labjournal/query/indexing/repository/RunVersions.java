package dev.labjournal.query.indexing.repository;

import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** The database version of each run, a page at a time: what a rebuild's catch-up pass compares the index with. */
@ApplicationScoped
public class RunVersions {

    private static final String PAGE = "SELECT run_id, version FROM runs WHERE " + TenantScope.PREDICATE
            + " AND run_id > $1 ORDER BY run_id LIMIT $2";

    /**
     * Run id to version of the scope's runs after {@code after}, in id order.
     *
     * @param conn a connection of {@link TenantScope#read}
     */
    public Uni<Map<String, Long>> page(SqlConnection conn, String after, int limit) {
        return conn.preparedQuery(PAGE).execute(Tuple.of(after, limit)).map(rows -> {
            Map<String, Long> versions = new LinkedHashMap<>();
            rows.forEach(row -> versions.put(row.getString(0), row.getLong(1)));
            return versions;
        });
    }
}
