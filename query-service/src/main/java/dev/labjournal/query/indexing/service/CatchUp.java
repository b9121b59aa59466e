package dev.labjournal.query.indexing.service;

import dev.labjournal.query.indexing.mapping.RunDocuments;
import dev.labjournal.query.indexing.repository.IndexFailures;
import dev.labjournal.query.indexing.repository.RunIndex;
import dev.labjournal.query.indexing.repository.RunVersions;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The catch-up pass of a rebuild, run right after the alias moved to the new index: every run whose document there
 * is missing or older than its version in PostgreSQL is indexed again through the alias, unless the refusal of that
 * very version is recorded already. It brings in what another query-service instance indexed into the old index
 * during the fill (only the rebuilding instance dual-writes); see {@link IndexRebuild}.
 */
@ApplicationScoped
public class CatchUp {

    private static final int PAGE = 500;

    private final Pool pool;
    private final RunVersions versions;
    private final RunIndex index;
    private final IndexFailures failures;
    private final IndexingService indexing;

    public CatchUp(Pool pool, RunVersions versions, RunIndex index, IndexFailures failures, IndexingService indexing) {
        this.pool = pool;
        this.versions = versions;
        this.index = index;
        this.failures = failures;
        this.indexing = indexing;
    }

    /** Returns how many runs it indexed again. */
    public Uni<Long> pass(String physicalIndex) {
        return indexing.tenantIds(null)
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(id -> from(new TenantScope(id), "", 0L, physicalIndex))
                        .collect()
                        .with(Collectors.summingLong(Long::longValue)));
    }

    private Uni<Long> from(TenantScope scope, String after, long done, String physicalIndex) {
        return scope.read(pool, conn -> versions.page(conn, after, PAGE)).chain(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(done);
            }
            Map<String, RunRef> refs = new LinkedHashMap<>();
            Map<String, Long> wanted = new LinkedHashMap<>();
            page.forEach((runId, version) -> {
                String id = RunDocuments.documentId(scope.tenant(), runId);
                refs.put(id, new RunRef(scope.tenant(), runId));
                wanted.put(id, version);
            });
            String last = List.copyOf(page.keySet()).get(page.size() - 1);
            return index.indexedVersions(physicalIndex, wanted.keySet())
                    .chain(indexed -> {
                        List<String> behind = wanted.entrySet().stream()
                                .filter(e -> indexed.getOrDefault(e.getKey(), 0L) < e.getValue())
                                .map(Map.Entry::getKey)
                                .toList();
                        return failures.recordedVersions(behind)
                                .map(recorded -> behind.stream()
                                        .filter(id -> recorded.getOrDefault(id, 0L) < wanted.get(id))
                                        .map(refs::get)
                                        .toList());
                    })
                    .chain(stale -> stale.isEmpty()
                            ? Uni.createFrom().item(0L)
                            : indexing.reindex(stale).replaceWith((long) stale.size()))
                    .chain(caught -> from(scope, last, done + caught, physicalIndex));
        });
    }
}
