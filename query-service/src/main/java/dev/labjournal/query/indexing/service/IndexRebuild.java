package dev.labjournal.query.indexing.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.indexing.repository.IndexFailures;
import dev.labjournal.query.indexing.repository.RunIndex;
import dev.labjournal.query.indexing.repository.SearchIndices;
import dev.labjournal.query.opensearch.SearchConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The runs index behind its alias. Reads and writes use the alias {@link SearchConfig#index()} ({@code
 * labjournal-runs}); it points at one physical index {@code labjournal-runs-v<generation>}, whose mapping (from
 * {@code search/runs-index.json}) carries {@code _meta.mapping_version}. A mapping change bumps that version and is
 * rolled out with a rebuild.
 *
 * <p>At start: an existing alias is used as it is when its index has this code's mapping version; an older one gets
 * the new fields added at once and is rebuilt in the background ({@link #upgradeIfOutdated}); a concrete index named like the alias (an installation from before the alias) is migrated by a rebuild;
 * with neither, generation 1 is created with the alias.
 *
 * <p><b>A rebuild</b> creates the next generation, fills it from PostgreSQL (the source of truth) page by page,
 * writing to it by name, and then moves the alias to it in one atomic {@code _aliases} request. Searches go through
 * the alias, so until that moment they answer from the old index, complete, and from then on from the new one,
 * complete: never from a half-filled index, never from none. The old index is deleted {@link
 * SearchConfig#retireGrace()} later: a search that resolved the alias just before the move still runs on it (deleting
 * it in the same request failed such searches with 503, as IndexRebuildIT showed). Migrating a concrete index of the
 * alias's name cannot wait like that (the alias can only take the name in the request that deletes the index), so
 * searches in flight at that one moment of an old installation's first start may fail.
 *
 * <p><b>Why no change is lost.</b> Two mechanisms, each with its own job.
 *
 * <p><i>Dual writes</i> keep the new index as fresh as the old one for the changes this instance indexes. From before
 * the fill reads its first page until the alias has moved, every {@link RunIndex#upsert} goes both through the alias
 * (the old index) and into the new index, in one bulk request ({@link RunIndex#alsoWriteTo}). Take any change
 * committed to PostgreSQL. Either the fill reads its run after the commit, and so copies it; or the fill read the run
 * earlier, and then the change's run-changes message is indexed after the fill began, so after dual writing began:
 * {@link RunIndex#upsert} picks its targets after reading PostgreSQL, and a write that does not see the new index read
 * PostgreSQL before dual writing (hence before the fill) started. External versions make the order of the copies
 * irrelevant: the newest version wins in each index. A write that reached the old index through the alias just
 * before the move is also in the new index (it was a dual write). This covers every change when one query-service
 * consumes run-changes (the local platform).
 *
 * <p><i>The catch-up pass</i> ({@link CatchUp}) covers the other instances, which do not know of the
 * rebuild and write only through the alias until it moves. Right after the move it compares, page by page, each run's
 * version in PostgreSQL with its document in the new index and indexes again, through the alias, every run that is
 * behind. A change committed before the move is in PostgreSQL when the pass reads it, so it is found; a change
 * committed after the move is indexed by whichever instance through the alias, which now is the new index. So
 * between the move and the end of the pass the new index may lag, for the other instances' changes of the fill's
 * window only, and never misses one afterwards. Runs whose refusal of that very version is recorded are not retried
 * by the pass.
 */
@ApplicationScoped
public class IndexRebuild {

    private static final Logger LOG = Logger.getLogger(IndexRebuild.class);
    private static final String DEFINITION = "/search/runs-index.json";

    private final SearchIndices indices;
    private final RunIndex runIndex;
    private final IndexingService indexing;
    private final IndexFailures failures;
    private final CatchUp catchUp;
    private final SearchConfig config;
    private final AtomicBoolean running = new AtomicBoolean();

    public IndexRebuild(
            SearchIndices indices,
            RunIndex runIndex,
            IndexingService indexing,
            IndexFailures failures,
            CatchUp catchUp,
            SearchConfig config) {
        this.indices = indices;
        this.runIndex = runIndex;
        this.indexing = indexing;
        this.failures = failures;
        this.catchUp = catchUp;
        this.config = config;
    }

    /**
     * What a rebuild did.
     *
     * @param previous the index the alias pointed at before, or null
     */
    public record Rebuilt(
            String index, String previous, long reindexed, long caughtUp, int mappingVersion, long tookMs) {}

    /**
     * Before the messaging channels start (they observe start-up at {@code LIBRARY_BEFORE}): the first run-changes
     * write must find the index, with this code's fields.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 1) StartupEvent event) {
        if (!config.manageIndices()) {
            return;
        }
        failures.createIfMissing().chain(this::prepare).await().indefinitely();
    }

    /** The mapping version of this code: {@code _meta.mapping_version} of {@code search/runs-index.json}. */
    public static int mappingVersion() {
        return SearchIndices.resource(DEFINITION)
                .path("mappings")
                .path("_meta")
                .path("mapping_version")
                .asInt();
    }

    Uni<Void> prepare() {
        String alias = config.index();
        return indices.aliasTarget(alias).chain(target -> {
            if (target.isPresent()) {
                return applyDynamicSettings(target.get()).chain(() -> upgradeIfOutdated(target.get()));
            }
            return indices.exists(alias).chain(concrete -> {
                if (concrete) {
                    LOG.infof(
                            "%s is an index from before versioned indices: rebuilding it from PostgreSQL behind an"
                                    + " alias of that name",
                            alias);
                    return rebuild()
                            .invoke(r -> LOG.infof(
                                    "migrated %s: %d runs in %s, now behind the alias %s (%d ms)",
                                    alias, r.reindexed(), r.index(), alias, r.tookMs()))
                            .replaceWithVoid();
                }
                return nextIndex().chain(first -> {
                    ObjectNode definition = SearchIndices.resource(DEFINITION);
                    definition.putObject("aliases").putObject(alias);
                    return indices.create(first, definition)
                            .invoke(() -> LOG.infof("created search index %s behind the alias %s", first, alias));
                });
            });
        });
    }

    /**
     * The settings of this code's definition that an existing index can take without a rebuild ({@code
     * refresh_interval}): a new interval reaches an index created by an older version at the next start.
     */
    private Uni<Void> applyDynamicSettings(String index) {
        JsonNode refresh = SearchIndices.resource(DEFINITION).path("settings").path("refresh_interval");
        return indices.updateSettings(index, Map.of("refresh_interval", refresh.asText()));
    }

    /**
     * An index of an older mapping version is made safe at once and replaced in the background: the fields of this
     * code's mapping are added to it ({@code PUT _mapping}, additive), so that the documents this code writes (with
     * fields the old mapping lacks; the mapping is {@code dynamic: strict}) are not refused, and then a rebuild fills
     * the next generation from PostgreSQL and moves the alias (searches answer from the old index meanwhile), so
     * that old documents get the new fields too. Start-up does not wait for the rebuild.
     */
    private Uni<Void> upgradeIfOutdated(String index) {
        int wanted = mappingVersion();
        return indices.mappingVersion(index).chain(current -> {
            if (current >= wanted) {
                LOG.infof("search index %s (mapping version %d) behind the alias %s", index, current, config.index());
                return Uni.createFrom().voidItem();
            }
            LOG.infof(
                    "search index %s has mapping version %d, this code has %d: adding the new fields to it and"
                            + " rebuilding it in the background",
                    index, current, wanted);
            JsonNode properties =
                    SearchIndices.resource(DEFINITION).path("mappings").path("properties");
            return indices.addFields(index, properties)
                    .onFailure()
                    .invoke(e -> LOG.errorf(
                            "cannot add the new fields to %s (documents with them are refused until the rebuild"
                                    + " has moved the alias): %s",
                            index, e.getMessage()))
                    .onFailure()
                    .recoverWithNull()
                    .invoke(() -> rebuild()
                            .subscribe()
                            .with(
                                    r -> LOG.infof(
                                            "search index upgraded to mapping version %d: %s", wanted, r.index()),
                                    e -> LOG.errorf(
                                            "the rebuild to mapping version %d failed (%s); retry with POST"
                                                    + " /api/v1/admin/reindex?rebuild=true",
                                            wanted, e.getMessage())));
        });
    }

    /**
     * Rebuilds the runs index from PostgreSQL into its next generation and moves the alias there (see the class
     * comment). One rebuild at a time: 409 while one runs.
     */
    public Uni<Rebuilt> rebuild() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().failure(ApiException.conflict("a rebuild of the search index is running"));
        }
        long start = System.nanoTime();
        String alias = config.index();
        AtomicBoolean created = new AtomicBoolean();
        AtomicBoolean swapped = new AtomicBoolean();
        return current()
                .chain(from -> nextIndex()
                        .chain(next -> indices.create(next, SearchIndices.resource(DEFINITION))
                                .invoke(() -> {
                                    created.set(true);
                                    runIndex.alsoWriteTo(next);
                                    LOG.infof(
                                            "rebuilding the search index into %s (the alias %s stays on %s until it is full)",
                                            next, alias, from.orElse("nothing"));
                                })
                                .chain(() -> indexing.fill(next))
                                .call(count -> from.isPresent()
                                        ? indices.moveAlias(alias, from.get(), next)
                                        : indices.addAlias(alias, next))
                                .invoke(() -> swapped.set(true))
                                .chain(count -> catchUp.pass(next)
                                        .map(caught -> new Rebuilt(
                                                next,
                                                from.orElse(null),
                                                count,
                                                caught,
                                                mappingVersion(),
                                                (System.nanoTime() - start) / 1_000_000)))
                                .call(() -> from.isPresent() && !from.get().equals(alias)
                                        ? retire(from.get())
                                        : Uni.createFrom().voidItem())
                                .onFailure()
                                .call(e -> {
                                    LOG.errorf("rebuild into %s failed: %s", next, e.getMessage());
                                    return created.get() && !swapped.get()
                                            ? indices.delete(next).onFailure().recoverWithNull()
                                            : Uni.createFrom().voidItem();
                                })))
                .invoke(r -> LOG.infof(
                        "search index rebuilt: %d runs in %s (%d more by the catch-up pass), alias %s moved from %s,"
                                + " which is deleted (%d ms, catch-up included)",
                        r.reindexed(), r.index(), r.caughtUp(), alias, r.previous(), r.tookMs()))
                .onTermination()
                .invoke(() -> {
                    runIndex.writeToAliasOnly();
                    running.set(false);
                });
    }

    /** Deletes the index the alias left, after {@link SearchConfig#retireGrace()}. */
    private Uni<Void> retire(String index) {
        return Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(config.retireGrace())
                .chain(() -> indices.delete(index));
    }

    /** The index the alias points at, or the concrete index of its name, or none. */
    private Uni<Optional<String>> current() {
        String alias = config.index();
        return indices.aliasTarget(alias)
                .chain(target -> target.isPresent()
                        ? Uni.createFrom().item(target)
                        : indices.exists(alias).map(exists -> exists ? Optional.of(alias) : Optional.<String>empty()));
    }

    /**
     * {@code <alias>-v<n>} for the first n above every generation present, so that a generation left over by an
     * interrupted rebuild is never reused (and never deleted: it might be another instance's rebuild in progress).
     */
    private Uni<String> nextIndex() {
        String alias = config.index();
        Pattern generation = Pattern.compile(Pattern.quote(alias) + "-v(\\d+)");
        return indices.matching(alias + "-v*").map(names -> {
            int highest = 0;
            for (String name : names) {
                Matcher m = generation.matcher(name);
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
            return alias + "-v" + (highest + 1);
        });
    }
}
