package dev.labjournal.query.indexing.service;

import dev.labjournal.query.indexing.repository.RunIndex;
import dev.labjournal.query.runs.repository.RunReader;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Copies runs from PostgreSQL (the source of truth) into the search index. */
@ApplicationScoped
public class IndexingService {

    private final RunReader reader;
    private final RunIndex index;

    public IndexingService(RunReader reader, RunIndex index) {
        this.reader = reader;
        this.index = index;
    }

    private static final int REINDEX_PAGE = 500;

    /**
     * Rebuilds the documents of every run of a tenant (or of all tenants when null) from PostgreSQL, a page at a
     * time. Returns how many runs were indexed.
     */
    public Uni<Long> reindexAll(String tenant) {
        return reindexFrom(tenant, new RunRef("", ""), 0L);
    }

    private Uni<Long> reindexFrom(String tenant, RunRef after, long done) {
        return reader.pageOfRefs(tenant, after, REINDEX_PAGE).chain(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(done);
            }
            return reindex(page).chain(() -> reindexFrom(tenant, page.get(page.size() - 1), done + page.size()));
        });
    }

    public Uni<Void> reindex(List<RunRef> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return reader.load(runs).chain(views -> index.upsert(views.values()));
    }
}
