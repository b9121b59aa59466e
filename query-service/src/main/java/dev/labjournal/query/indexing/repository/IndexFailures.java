package dev.labjournal.query.indexing.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.query.indexing.mapping.RunDocuments;
import dev.labjournal.query.indexing.repository.SearchIndices.IndexAdminException;
import dev.labjournal.query.indexing.repository.SearchIndices.Reply;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.opensearch.SearchUnavailable;
import dev.labjournal.query.runs.Run;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * The runs OpenSearch refused for their content, one document per run in the index {@code labjournal-index-failures}
 * (id {@code tenant:run_id}, like the run's own document). query-service does not own the database schema, and the
 * search index is where the problem is, so the record lives there. A failure document is removed as soon as the run
 * is indexed at a version at least the refused one; the gauge {@code labjournal.query.index.failures.open} counts the
 * open ones.
 */
@ApplicationScoped
public class IndexFailures {

    private static final Logger LOG = Logger.getLogger(IndexFailures.class);
    private static final String NDJSON = "application/x-ndjson";

    /**
     * Keeps the first failure time and adds up the attempts; everything else is the latest refusal's. The version
     * never goes back: a stale refusal does not hide a newer one.
     */
    private static final String RECORD_SCRIPT = "ctx._source.last_failed_at = params.now;"
            + " ctx._source.attempts = (ctx._source.attempts == null ? 0 : ctx._source.attempts) + params.attempts;"
            + " if (ctx._source.version == null || params.version >= ctx._source.version) {"
            + " ctx._source.version = params.version; ctx._source.index = params.index;"
            + " ctx._source.error_type = params.error_type; ctx._source.reason = params.reason;"
            + " ctx._source.http_status = params.http_status; }";

    /** One run the index refused, after its last attempt. */
    public record Failure(
            String tenant,
            String runId,
            long version,
            String index,
            String type,
            String reason,
            int status,
            int attempts) {}

    /** The failures of a listing, newest first, and how many there are in all. */
    public record Page(long total, List<Map<String, Object>> failures) {}

    private static final TypeReference<Map<String, Object>> SOURCE = new TypeReference<>() {};

    private final OpenSearchAsyncClient client;
    private final SearchIndices indices;
    private final SearchConfig config;
    private final AtomicLong open = new AtomicLong();

    public IndexFailures(
            OpenSearchAsyncClient client, SearchIndices indices, SearchConfig config, MeterRegistry registry) {
        this.client = client;
        this.indices = indices;
        this.config = config;
        Gauge.builder("labjournal.query.index.failures.open", open, AtomicLong::get)
                .description("runs whose search document OpenSearch refuses, recorded in " + config.failuresIndex())
                .register(registry);
    }

    /** Creates the failures index unless it exists, and reads how many failures are open. */
    public Uni<Void> createIfMissing() {
        return indices.exists(config.failuresIndex())
                .chain(exists -> exists
                        ? Uni.createFrom().voidItem()
                        : indices.create(
                                        config.failuresIndex(),
                                        SearchIndices.resource("/search/index-failures-index.json"))
                                .onFailure(e -> e instanceof IndexAdminException a && a.alreadyExists())
                                .recoverWithItem(() -> null)
                                .invoke(() -> LOG.infof("created index %s", config.failuresIndex())))
                .chain(this::refreshOpenCount);
    }

    /** Records these refusals (one document per run), visible to the next listing when this completes. */
    public Uni<Void> record(Collection<Failure> failures) {
        if (failures.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String now = Instant.now().toString();
        ByteArrayOutputStream bulk = new ByteArrayOutputStream();
        for (Failure f : failures) {
            ObjectNode action = SearchIndices.JSON.createObjectNode();
            action.putObject("update")
                    .put("_index", config.failuresIndex())
                    .put("_id", RunDocuments.documentId(f.tenant(), f.runId()))
                    .put("retry_on_conflict", 3);
            ObjectNode body = SearchIndices.JSON.createObjectNode();
            ObjectNode script = body.putObject("script");
            script.put("lang", "painless").put("source", RECORD_SCRIPT);
            script.putObject("params")
                    .put("now", now)
                    .put("attempts", f.attempts())
                    .put("version", f.version())
                    .put("index", f.index())
                    .put("error_type", f.type())
                    .put("reason", f.reason())
                    .put("http_status", f.status());
            body.putObject("upsert")
                    .put("tenant", f.tenant())
                    .put("run_id", f.runId())
                    .put("version", f.version())
                    .put("index", f.index())
                    .put("error_type", f.type())
                    .put("reason", f.reason())
                    .put("http_status", f.status())
                    .put("first_failed_at", now)
                    .put("last_failed_at", now)
                    .put("attempts", f.attempts());
            line(bulk, action);
            line(bulk, body);
        }
        return bulk(bulk.toByteArray(), "record index failures").chain(this::refreshOpenCount);
    }

    /**
     * Removes the failure documents of these runs, now indexed: those recorded at a version up to the indexed one. A
     * realtime multi-get first, so the common case (no failure recorded) costs one read and writes nothing.
     */
    public Uni<Void> clear(Collection<Run> indexed) {
        if (indexed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Long> versions = new HashMap<>();
        indexed.forEach(run -> versions.put(RunDocuments.documentId(run.tenant(), run.runId()), run.version()));
        ObjectNode ids = SearchIndices.JSON.createObjectNode();
        var array = ids.putArray("ids");
        versions.keySet().forEach(array::add);
        return indices.call("POST", "/" + config.failuresIndex() + "/_mget?_source_includes=version", ids)
                .chain(reply -> {
                    if (reply.status() == 404) {
                        return Uni.createFrom().voidItem();
                    }
                    check(reply, "read index failures");
                    ByteArrayOutputStream bulk = new ByteArrayOutputStream();
                    int deletes = 0;
                    for (JsonNode doc : reply.json().path("docs")) {
                        if (!doc.path("found").asBoolean()) {
                            continue;
                        }
                        String id = doc.get("_id").asText();
                        long recorded = doc.path("_source").path("version").asLong();
                        if (recorded <= versions.get(id)) {
                            ObjectNode action = SearchIndices.JSON.createObjectNode();
                            action.putObject("delete")
                                    .put("_index", config.failuresIndex())
                                    .put("_id", id);
                            line(bulk, action);
                            deletes++;
                            LOG.infof(
                                    "run %s is indexed at version %d: its index failure is cleared",
                                    id, versions.get(id));
                        }
                    }
                    return deletes == 0
                            ? Uni.createFrom().voidItem()
                            : bulk(bulk.toByteArray(), "clear index failures").chain(this::refreshOpenCount);
                });
    }

    /** The refused version recorded for each of these run documents that has a failure record, realtime. */
    public Uni<Map<String, Long>> recordedVersions(Collection<String> documentIds) {
        if (documentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        ObjectNode ids = SearchIndices.JSON.createObjectNode();
        var array = ids.putArray("ids");
        documentIds.forEach(array::add);
        return indices.call("POST", "/" + config.failuresIndex() + "/_mget?_source_includes=version", ids)
                .map(reply -> {
                    Map<String, Long> recorded = new HashMap<>();
                    if (reply.status() == 404) {
                        return recorded;
                    }
                    check(reply, "read index failures");
                    for (JsonNode doc : reply.json().path("docs")) {
                        if (doc.path("found").asBoolean()) {
                            recorded.put(
                                    doc.get("_id").asText(),
                                    doc.path("_source").path("version").asLong());
                        }
                    }
                    return recorded;
                });
    }

    /** The recorded failures within {@code filter} (all when null), newest first. */
    public Uni<Page> list(Query filter, int limit) {
        Query query = filter == null ? Query.of(q -> q.matchAll(m -> m)) : Query.of(q -> q.bool(b -> b.filter(filter)));
        SearchRequest request = SearchRequest.of(s -> s.index(config.failuresIndex())
                .query(query)
                .size(limit)
                .trackTotalHits(t -> t.enabled(true))
                .sort(o -> o.field(f -> f.field("last_failed_at").order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field("run_id").order(SortOrder.Asc))));
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.search(request, ObjectNode.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .onFailure(SearchUnavailable::isOutage)
                .transform(SearchUnavailable::error)
                .map(response -> {
                    List<Map<String, Object>> failures = new ArrayList<>();
                    for (Hit<ObjectNode> hit : response.hits().hits()) {
                        failures.add(SearchIndices.JSON.convertValue(hit.source(), SOURCE));
                    }
                    long total = response.hits().total() == null
                            ? failures.size()
                            : response.hits().total().value();
                    return new Page(total, failures);
                });
    }

    private Uni<Void> bulk(byte[] body, String what) {
        return indices.call("POST", "/_bulk", body, NDJSON).map(reply -> {
            check(reply, what);
            if (reply.json().path("errors").asBoolean()) {
                for (JsonNode item : reply.json().path("items")) {
                    JsonNode result = item.elements().next();
                    int status = result.path("status").asInt();
                    if (result.has("error") && status != 404) {
                        throw new IllegalStateException(
                                "cannot " + what + ": HTTP " + status + " " + result.get("error"));
                    }
                }
            }
            return null;
        });
    }

    /**
     * Refreshes the small failures index (milliseconds, where waiting for its periodic refresh would cost up to a
     * second per batch) so that listings see the change at once, and reads the count of the gauge.
     */
    private Uni<Void> refreshOpenCount() {
        return indices.call("POST", "/" + config.failuresIndex() + "/_refresh", (JsonNode) null)
                .chain(() -> indices.call("GET", "/" + config.failuresIndex() + "/_count", (JsonNode) null))
                .invoke(reply -> {
                    if (reply.ok()) {
                        open.set(reply.json().path("count").asLong());
                    }
                })
                .replaceWithVoid();
    }

    private static void check(Reply reply, String what) {
        if (!reply.ok()) {
            throw new IllegalStateException("cannot " + what + ": HTTP " + reply.status() + " " + reply.body());
        }
    }

    private static void line(ByteArrayOutputStream out, JsonNode json) {
        try {
            out.write(SearchIndices.JSON.writeValueAsBytes(json));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
