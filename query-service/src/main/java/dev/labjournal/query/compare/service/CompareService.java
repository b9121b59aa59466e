package dev.labjournal.query.compare.service;

import dev.labjournal.query.compare.Comparison;
import dev.labjournal.query.compare.repository.CompareReader;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Compares runs of the caller's tenant, read in one read transaction of that tenant. */
@ApplicationScoped
public class CompareService {

    private final Pool pool;
    private final CompareReader reader;

    public CompareService(Pool pool, CompareReader reader) {
        this.pool = pool;
        this.reader = reader;
    }

    /**
     * @param runIds distinct run ids, in the order the comparison lists them; ids that are not runs of the scope
     *     (unknown, or another tenant's: the two look the same) are reported as not found
     */
    public Uni<Comparison> compare(TenantScope scope, List<String> runIds) {
        return scope.read(pool, conn -> reader.load(conn, runIds)).map(found -> Comparison.of(runIds, found));
    }
}
