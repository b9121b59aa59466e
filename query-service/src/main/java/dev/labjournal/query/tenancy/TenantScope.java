package dev.labjournal.query.tenancy;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.function.Function;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/**
 * The one tenant wall of every read: the only place that builds the SQL tenant predicate and the OpenSearch tenant
 * filter, and the only way to get a database connection to read with. {@link #read} sets the tenant for the
 * transaction, which both walls use: the predicate of our queries ({@link #PREDICATE}) and, behind it, the
 * row-level security policies of the database role query-service connects as (migration V3), so that even a query
 * that forgot the predicate returns nothing foreign.
 */
public record TenantScope(String tenant) {

    /** The transaction setting both walls read. */
    static final String SETTING = "labjournal.tenant";

    /**
     * The SQL predicate that confines a query to the scope's tenant. Its value is the transaction's setting, not a
     * parameter, so a query cannot bind another tenant; without the setting the query fails instead of widening.
     */
    public static final String PREDICATE = "tenant_id = current_setting('" + SETTING + "')";

    private static final String SET_TENANT = "SELECT set_config('" + SETTING + "', $1, true)";

    public TenantScope {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("a tenant scope needs a tenant");
        }
    }

    /** The scope of a reading caller: 403 unless the key may read and belongs to a tenant. */
    public static TenantScope ofReader(Caller caller) {
        caller.require(Scope.READ);
        return new TenantScope(caller.requireTenant());
    }

    /** {@link #PREDICATE} for a table with an alias, e.g. {@code d.tenant_id = ...}. */
    public static String predicate(String alias) {
        return alias + "." + PREDICATE;
    }

    /** Runs {@code work} in a transaction confined to this tenant, on one connection. */
    public <T> Uni<T> read(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(
                conn -> conn.preparedQuery(SET_TENANT).execute(Tuple.of(tenant)).chain(() -> work.apply(conn)));
    }

    /** The OpenSearch filter that confines a search to this tenant's documents. */
    public Query searchFilter() {
        return Query.of(q -> q.term(t -> t.field("tenant").value(FieldValue.of(tenant))));
    }
}
