package dev.labjournal.query.indexing.service;

import dev.labjournal.common.metrics.LatencyTimers;
import dev.labjournal.query.indexing.repository.IndexFailures;
import dev.labjournal.query.indexing.repository.RunIndex;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.runs.repository.RunReader;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.query.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Copies runs from PostgreSQL (the source of truth) into the search index. Reads go through the tenant wall like any
 * other: the runs of a batch are read one tenant scope at a time.
 */
@ApplicationScoped
public class IndexingService {

    private static final int REINDEX_PAGE = 500;
    private static final String TENANTS = "SELECT id FROM tenants ORDER BY id";

    private final Pool pool;
    private final RunReader reader;
    private final RunIndex index;
    private final IndexFailures failures;
    private final Timer readTimer;
    private final Timer writeTimer;

    public IndexingService(
            Pool pool, RunReader reader, RunIndex index, IndexFailures failures, MeterRegistry registry) {
        this.pool = pool;
        this.reader = reader;
        this.index = index;
        this.failures = failures;
        this.readTimer = stageTimer(registry, "read");
        this.writeTimer = stageTimer(registry, "write");
    }

    /**
     * {@code labjournal.query.indexing.changes{stage}}: how long the changes of one batch take to read from PostgreSQL
     * ({@code read}) and to write into the index ({@code write}), with p50, p99 and max.
     */
    private static Timer stageTimer(MeterRegistry registry, String stage) {
        return LatencyTimers.register(
                registry,
                "labjournal.query.indexing.changes",
                "Time to re-read changed runs from PostgreSQL (read) and upsert them (write), per batch",
                "stage",
                stage);
    }

    /**
     * Rebuilds the documents of every run of a tenant (or of all tenants when null) from PostgreSQL, a page at a
     * time. Returns how many runs were indexed.
     */
    public Uni<Long> reindexAll(String tenant) {
        return reindexAll(tenant, index::upsert);
    }

    /**
     * Writes the documents of every run of every tenant into this index, by its name: the fill of a rebuilt index.
     * Returns how many runs were written.
     */
    public Uni<Long> fill(String physicalIndex) {
        return reindexAll(null, runs -> index.upsertInto(physicalIndex, runs));
    }

    /** The recorded index failures, of one tenant's runs or (scope null) of every tenant's, newest first. */
    public Uni<IndexFailures.Page> failures(TenantScope scope, int limit) {
        return failures.list(scope == null ? null : scope.searchFilter(), limit);
    }

    private Uni<Long> reindexAll(String tenant, Function<Collection<Run>, Uni<Void>> writer) {
        return tenantIds(tenant)
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(id -> reindexFrom(new TenantScope(id), "", 0L, writer))
                        .collect()
                        .with(Collectors.summingLong(Long::longValue)));
    }

    /** The given tenant, or (null) every tenant, in id order. */
    Uni<List<String>> tenantIds(String tenant) {
        return tenant != null
                ? Uni.createFrom().item(List.of(tenant))
                : pool.query(TENANTS).execute().map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    private Uni<Long> reindexFrom(
            TenantScope scope, String after, long done, Function<Collection<Run>, Uni<Void>> writer) {
        return scope.read(pool, conn -> reader.pageOfIds(conn, after, REINDEX_PAGE))
                .chain(page -> {
                    if (page.isEmpty()) {
                        return Uni.createFrom().item(done);
                    }
                    return scope.read(pool, conn -> reader.load(conn, page))
                            .chain(found -> writer.apply(found.values()))
                            .chain(() -> reindexFrom(scope, page.get(page.size() - 1), done + page.size(), writer));
                });
    }

    /** Re-reads these runs, of any tenants, and upserts their documents in one bulk request. */
    public Uni<Void> reindex(List<RunRef> runs) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        runs.forEach(ref ->
                byTenant.computeIfAbsent(ref.tenant(), t -> new ArrayList<>()).add(ref.runId()));
        Timer.Sample reading = Timer.start();
        return Multi.createFrom()
                .iterable(byTenant.entrySet())
                .onItem()
                .transformToUniAndConcatenate(e -> new TenantScope(e.getKey())
                        .read(pool, conn -> reader.load(conn, e.getValue()))
                        .map(Map::values))
                .collect()
                .in(ArrayList<Run>::new, ArrayList::addAll)
                .chain(found -> {
                    reading.stop(readTimer);
                    Timer.Sample writing = Timer.start();
                    return index.upsert(found).invoke(() -> writing.stop(writeTimer));
                });
    }
}
