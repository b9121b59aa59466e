package dev.labjournal.query.indexing.repository;

import dev.labjournal.query.indexing.mapping.RunDocuments;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.runs.Run;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.ErrorCause;
import org.opensearch.client.opensearch._types.VersionType;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;

/**
 * Writes run documents: through the alias {@link SearchConfig#index()}, with the run's database version as an
 * external version, so a stale or replayed change can never overwrite newer data.
 *
 * <p>Each item of a bulk response is judged on its own. A version conflict means newer data is indexed already:
 * fine. Overload (429), a server error (5xx) or a missing index (404, an index being swapped) fails the whole batch,
 * which the caller retries. A document refused for its content (a mapping conflict, too many nested objects, a
 * document too large) is sent again alone, {@link SearchConfig#documentAttempts()} times in all with a growing pause,
 * and then recorded in {@link IndexFailures} with an ERROR log line and the counter {@code
 * labjournal.query.index.failures}; the other documents of the batch are indexed and the batch completes, since
 * blocking every later change behind one document would be worse. PostgreSQL keeps the run either way.
 */
@ApplicationScoped
public class RunIndex {

    private static final Logger LOG = Logger.getLogger(RunIndex.class);
    private static final int VERSION_CONFLICT = 409;
    private static final int NOT_FOUND = 404;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int SERVER_ERROR = 500;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

    private final OpenSearchAsyncClient client;
    private final SearchConfig config;
    private final IndexFailures failures;
    private final MeterRegistry registry;

    /** The index being rebuilt, written besides the alias until the alias is moved to it; null when none. */
    private volatile String alsoWriteTo;

    public RunIndex(OpenSearchAsyncClient client, SearchConfig config, IndexFailures failures, MeterRegistry registry) {
        this.client = client;
        this.config = config;
        this.failures = failures;
        this.registry = registry;
    }

    /** One document to write: a run into an index. */
    record Write(Run run, String index) {}

    /** A write refused for its content by this physical index, as OpenSearch explained it. */
    record Refusal(Write write, String index, String type, String reason, int status) {}

    /**
     * Upserts the documents of these runs through the alias (and into the index being rebuilt, if any); a document
     * newer than the given version is left as it is.
     *
     * <p>The index being rebuilt is read here, after the caller read the runs from PostgreSQL: a write that misses
     * it read PostgreSQL before the rebuild began, so the rebuild's own reads, which come later, see that data.
     */
    public Uni<Void> upsert(Collection<Run> runs) {
        String rebuilding = alsoWriteTo;
        return write(
                runs,
                rebuilding == null ? List.of(config.index()) : List.of(config.index(), rebuilding),
                config.documentAttempts());
    }

    /**
     * Upserts the documents of these runs into one index, by its name: the fill of an index being rebuilt. A document
     * refused for its content is recorded at once: the fill re-reads every run anyway, and pausing for each refused
     * one (a run over a mapping limit stays over it) would only slow the rebuild.
     */
    public Uni<Void> upsertInto(String index, Collection<Run> runs) {
        return write(runs, List.of(index), 1);
    }

    /** The external version of each of these documents that the index holds (absent: no document), realtime. */
    public Uni<Map<String, Long>> indexedVersions(String index, Collection<String> documentIds) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.mget(
                                m -> m.index(index)
                                        .ids(List.copyOf(documentIds))
                                        .source(src -> src.fetch(false)),
                                Void.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(response -> {
                    Map<String, Long> found = new LinkedHashMap<>();
                    response.docs().forEach(doc -> {
                        if (doc.isResult()
                                && doc.result().found()
                                && doc.result().version() != null) {
                            found.put(doc.result().id(), doc.result().version());
                        }
                    });
                    return found;
                });
    }

    /** From now on every {@link #upsert} also writes into this index. */
    public void alsoWriteTo(String index) {
        alsoWriteTo = index;
    }

    /** Ends {@link #alsoWriteTo}. */
    public void writeToAliasOnly() {
        alsoWriteTo = null;
    }

    private Uni<Void> write(Collection<Run> runs, List<String> indices, int attempts) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Write> writes = new ArrayList<>();
        for (Run run : runs) {
            indices.forEach(index -> writes.add(new Write(run, index)));
        }
        return send(writes, 1, attempts).chain(refused -> settle(runs, refused, attempts));
    }

    /** Sends the writes; the ones still refused for their content after the last attempt are the result. */
    private Uni<List<Refusal>> send(List<Write> writes, int attempt, int attempts) {
        return bulk(writes).chain(response -> {
            List<Refusal> refused = refusals(writes, response);
            if (refused.isEmpty() || attempt >= attempts) {
                return Uni.createFrom().item(refused);
            }
            Duration pause = FIRST_PAUSE.multipliedBy(1L << (attempt - 1));
            LOG.warnf(
                    "OpenSearch refused %d documents (first: %s, %s); attempt %d of %d in %d ms",
                    refused.size(),
                    documentId(refused.get(0).write()),
                    refused.get(0).reason(),
                    attempt + 1,
                    attempts,
                    pause.toMillis());
            List<Write> again = refused.stream().map(Refusal::write).toList();
            return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(pause)
                    .chain(() -> send(again, attempt + 1, attempts));
        });
    }

    private Uni<BulkResponse> bulk(List<Write> writes) {
        List<BulkOperation> operations = writes.stream()
                .map(w -> BulkOperation.of(op -> op.index(i -> i.index(w.index())
                        .id(documentId(w))
                        .version(w.run().version())
                        .versionType(VersionType.ExternalGte)
                        .document(RunDocuments.of(w.run())))))
                .toList();
        return Uni.createFrom().completionStage(() -> {
            try {
                return client.bulk(b -> b.operations(operations));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The writes refused for their content; throws for an item that fails the whole batch. */
    static List<Refusal> refusals(List<Write> writes, BulkResponse response) {
        List<Refusal> refused = new ArrayList<>();
        if (!response.errors()) {
            return refused;
        }
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            if (item.error() == null || item.status() == VERSION_CONFLICT) {
                continue;
            }
            String reason = reason(item.error());
            if (item.status() == TOO_MANY_REQUESTS || item.status() >= SERVER_ERROR || item.status() == NOT_FOUND) {
                throw new IllegalStateException("OpenSearch could not take document " + item.id() + " (HTTP "
                        + item.status() + "): " + item.error().type() + " " + reason);
            }
            String index = item.index() == null ? writes.get(i).index() : item.index();
            refused.add(new Refusal(writes.get(i), index, item.error().type(), reason, item.status()));
        }
        return refused;
    }

    private static String reason(ErrorCause error) {
        String reason = error.reason() == null ? "" : error.reason();
        ErrorCause cause = error.causedBy();
        if (cause != null && cause.reason() != null && !reason.contains(cause.reason())) {
            reason = reason + ": " + cause.type() + " " + cause.reason();
        }
        return reason;
    }

    /** Records the runs refused after every attempt, and clears the failures of the runs now indexed. */
    private Uni<Void> settle(Collection<Run> runs, List<Refusal> refused, int attempts) {
        Map<String, Refusal> byRun = new LinkedHashMap<>();
        refused.forEach(r -> byRun.putIfAbsent(documentId(r.write()), r));
        List<IndexFailures.Failure> failed = new ArrayList<>();
        for (Refusal r : byRun.values()) {
            Run run = r.write().run();
            failed.add(new IndexFailures.Failure(
                    run.tenant(), run.runId(), run.version(), r.index(), r.type(), r.reason(), r.status(), attempts));
        }
        List<Run> indexed = runs.stream()
                .filter(run -> !byRun.containsKey(RunDocuments.documentId(run.tenant(), run.runId())))
                .toList();
        return failures.record(failed)
                .invoke(() -> failed.forEach(f -> {
                    registry.counter("labjournal.query.index.failures", "type", f.type())
                            .increment();
                    LOG.errorf(
                            "run %s of tenant %s (version %d) is not searchable: index %s refused it %d times"
                                    + " (HTTP %d %s: %s); recorded in %s",
                            f.runId(),
                            f.tenant(),
                            f.version(),
                            f.index(),
                            f.attempts(),
                            f.status(),
                            f.type(),
                            f.reason(),
                            config.failuresIndex());
                }))
                .chain(() -> failures.clear(indexed));
    }

    private static String documentId(Write write) {
        return RunDocuments.documentId(write.run().tenant(), write.run().runId());
    }
}
