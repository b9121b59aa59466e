package dev.labjournal.query.failures.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.query.failures.SimilarFailures;
import dev.labjournal.query.failures.SimilarFailures.SimilarFailure;
import dev.labjournal.query.failures.SimilarFailures.Why;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * The failed runs of a tenant most like one failure, in one OpenSearch query: a bool of weighted should clauses over
 * the signature fields of the run documents (see {@code RunDocuments}), confined by the tenant filter to the scope and
 * to failed runs other than the run itself. The same group outweighs everything else, so a run of the same group always
 * ranks above one that is not; below that, the normalised message, the exception types and the shared frames rank,
 * project frames above library frames, and rare ones (by OpenSearch's IDF) above the frames every trace holds. The
 * same request counts the run's group with a filter aggregation. Equal scores are ordered by run id, so an answer does
 * not change from one call to the next.
 */
@ApplicationScoped
public class SimilarFailureSearch {

    static final float GROUP_BOOST = 100f;
    static final float MESSAGE_BOOST = 1.5f;
    static final float TYPE_BOOST = 2f;
    static final float APP_FRAME_BOOST = 1.5f;
    static final float LIBRARY_FRAME_BOOST = 1f;

    /** Frames of each kind that go into the query: the innermost, where failures differ. */
    static final int QUERY_FRAMES = 12;

    private static final String GROUP_COUNT = "group";

    private final OpenSearchAsyncClient client;
    private final SearchConfig config;

    public SimilarFailureSearch(OpenSearchAsyncClient client, SearchConfig config) {
        this.client = client;
        this.config = config;
    }

    public Uni<SimilarFailures> similar(TenantScope scope, String runId, FailureSignature signature, int limit) {
        if (signature == null) {
            return Uni.createFrom().item(new SimilarFailures(runId, null, null, null, 0, List.of()));
        }
        SearchRequest request = SearchRequest.of(s -> s.index(config.index())
                .query(query(scope, runId, signature))
                .size(limit)
                .trackScores(true)
                .sort(o -> o.score(sc -> sc.order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field("run_id").order(SortOrder.Asc)))
                .source(src -> src.filter(f -> f.includes(
                        "run_id",
                        "team",
                        "project",
                        "name",
                        "failure_type",
                        "failure_message",
                        "failure_group",
                        "failure_message_normalised",
                        "failure_exception_types",
                        "failure_app_frames",
                        "failure_library_frames",
                        "end_time")))
                .aggregations(GROUP_COUNT, a -> a.filter(term("failure_group", signature.group()))));
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.search(request, ObjectNode.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(response -> answer(runId, signature, response));
    }

    static Query query(TenantScope scope, String runId, FailureSignature signature) {
        List<Query> should = new ArrayList<>();
        should.add(Query.of(q -> q.constantScore(
                c -> c.filter(term("failure_group", signature.group())).boost(GROUP_BOOST))));
        if (!signature.normalisedMessage().isEmpty()) {
            should.add(Query.of(q -> q.match(m -> m.field("failure_message_normalised")
                    .query(FieldValue.of(signature.normalisedMessage()))
                    .boost(MESSAGE_BOOST))));
        }
        signature.exceptionTypes().forEach(type -> should.add(boosted("failure_exception_types", type, TYPE_BOOST)));
        signature.appFrames().stream()
                .limit(QUERY_FRAMES)
                .forEach(frame -> should.add(boosted("failure_app_frames", frame, APP_FRAME_BOOST)));
        signature.libraryFrames().stream()
                .limit(QUERY_FRAMES)
                .forEach(frame -> should.add(boosted("failure_library_frames", frame, LIBRARY_FRAME_BOOST)));
        return Query.of(q -> q.bool(b -> b.filter(scope.searchFilter(), term("status", "failed"))
                .mustNot(term("run_id", runId))
                .should(should)
                .minimumShouldMatch("1")));
    }

    private static SimilarFailures answer(
            String runId, FailureSignature signature, SearchResponse<ObjectNode> response) {
        long othersInGroup = response.aggregations().get(GROUP_COUNT).filter().docCount();
        List<SimilarFailure> similar = response.hits().hits().stream()
                .map(hit -> similarFailure(signature, hit))
                .toList();
        return new SimilarFailures(
                runId,
                signature.group(),
                signature.exceptionType(),
                signature.normalisedMessage(),
                othersInGroup + 1,
                similar);
    }

    private static SimilarFailure similarFailure(FailureSignature signature, Hit<ObjectNode> hit) {
        JsonNode doc = hit.source();
        Why why = new Why(
                signature.group().equals(text(doc, "failure_group")),
                signature.normalisedMessage().equals(text(doc, "failure_message_normalised")),
                shared(signature.exceptionTypes(), doc.get("failure_exception_types")),
                shared(signature.appFrames(), doc.get("failure_app_frames")),
                shared(signature.libraryFrames(), doc.get("failure_library_frames")));
        return new SimilarFailure(
                text(doc, "run_id"),
                text(doc, "team"),
                text(doc, "project"),
                text(doc, "name"),
                text(doc, "failure_type"),
                text(doc, "failure_message"),
                text(doc, "failure_group"),
                text(doc, "failure_message_normalised"),
                text(doc, "end_time"),
                hit.score() == null ? 0 : hit.score(),
                why);
    }

    /** The values of ours that the document's list holds too, in our order. */
    private static List<String> shared(List<String> ours, JsonNode theirs) {
        if (theirs == null || !theirs.isArray()) {
            return List.of();
        }
        Set<String> values = new HashSet<>();
        theirs.forEach(v -> values.add(v.asText()));
        return ours.stream().filter(values::contains).toList();
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static Query boosted(String field, String value, float boost) {
        return Query.of(
                q -> q.term(t -> t.field(field).value(FieldValue.of(value)).boost(boost)));
    }

    private static String text(JsonNode doc, String field) {
        JsonNode value = doc == null ? null : doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
