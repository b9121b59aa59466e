package dev.labjournal.query.search.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.opensearch.SearchUnavailable;
import dev.labjournal.query.search.SearchPage;
import dev.labjournal.query.search.filter.Filter;
import dev.labjournal.query.search.filter.FilterQueries;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.TextQueryType;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Highlight;
import org.opensearch.client.opensearch.core.search.HighlighterEncoder;
import org.opensearch.client.opensearch.core.search.Hit;

/** Full-text search over runs, always confined to one tenant by a server-side filter. */
@ApplicationScoped
public class RunSearch {

    /** The text fields searched, with their boosts. */
    static final List<String> TEXT_FIELDS = List.of(
            "name^3",
            "failure_type^3",
            "failure_message^2",
            "failure_stacktrace",
            "notes",
            "hypothesis",
            "conclusion",
            "params_text",
            "tags_text");

    private static final List<String> HIGHLIGHTED = List.of(
            "name", "failure_type", "failure_message", "failure_stacktrace", "notes", "params_text", "tags_text");

    private static final int FRAGMENT_SIZE = 160;

    /** Up to two words must all match; of longer queries, three in four (all fields share one analyzer). */
    private static final String MINIMUM_SHOULD_MATCH = "2<75%";

    private final OpenSearchAsyncClient client;
    private final SearchConfig config;

    public RunSearch(OpenSearchAsyncClient client, SearchConfig config) {
        this.client = client;
        this.config = config;
    }

    /**
     * One page of the scope's runs that match the text (all runs when blank) and the filter (none: null), combined
     * with AND.
     */
    public Uni<SearchPage> search(TenantScope scope, String text, Filter filter, int limit, PageToken after) {
        List<Query> filters = filter == null
                ? List.of(scope.searchFilter())
                : List.of(scope.searchFilter(), FilterQueries.of(filter));
        Query matching = text == null || text.isBlank()
                ? Query.of(q -> q.matchAll(m -> m))
                : Query.of(q -> q.multiMatch(m -> m.query(text)
                        .fields(TEXT_FIELDS)
                        .type(TextQueryType.CrossFields)
                        .minimumShouldMatch(MINIMUM_SHOULD_MATCH)));
        SearchRequest request = SearchRequest.of(s -> {
            s.index(config.index())
                    .query(q -> q.bool(b -> b.filter(filters).must(matching)))
                    .size(limit + 1)
                    .trackTotalHits(t -> t.enabled(true))
                    .source(src -> src.filter(f -> f.excludes(
                            "failure_stacktrace", "params", "tags", "metrics", "params_text", "tags_text", "notes")))
                    .sort(o -> o.score(sc -> sc.order(SortOrder.Desc)))
                    .sort(o -> o.field(f -> f.field("run_id").order(SortOrder.Asc)))
                    .highlight(highlight());
            if (after != null) {
                s.searchAfter(after.toFieldValues());
            }
            return s;
        });
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
                .map(response -> toPage(response, limit));
    }

    /**
     * Highlights safe to render as HTML: OpenSearch's {@code html} encoder escapes the text of each fragment
     * ({@code & < > " '} and {@code /}) and then adds our markers, so the only markup in a fragment is {@code <em>}
     * and {@code </em>}. A stack trace that contains {@code <script>} comes back as {@code &lt;script&gt;}.
     */
    static Highlight highlight() {
        return Highlight.of(h -> {
            h.encoder(HighlighterEncoder.Html)
                    .preTags("<em>")
                    .postTags("</em>")
                    .fragmentSize(FRAGMENT_SIZE)
                    .numberOfFragments(3);
            HIGHLIGHTED.forEach(field -> h.fields(field, f -> f));
            return h;
        });
    }

    private static SearchPage toPage(SearchResponse<ObjectNode> response, int limit) {
        List<Hit<ObjectNode>> hits = response.hits().hits();
        List<SearchPage.Hit> page =
                hits.stream().limit(limit).map(RunSearch::toHit).toList();
        String next = null;
        if (hits.size() > limit) {
            Hit<ObjectNode> last = hits.get(limit - 1);
            next = PageToken.of(last.sort()).encode();
        }
        long total = response.hits().total() == null
                ? page.size()
                : response.hits().total().value();
        return new SearchPage(total, page, next);
    }

    private static SearchPage.Hit toHit(Hit<ObjectNode> hit) {
        JsonNode doc = hit.source();
        return new SearchPage.Hit(
                text(doc, "run_id"),
                text(doc, "project"),
                text(doc, "team"),
                text(doc, "name"),
                text(doc, "user"),
                text(doc, "status"),
                text(doc, "failure_type"),
                text(doc, "failure_message"),
                text(doc, "start_time"),
                text(doc, "end_time"),
                hit.score() == null ? 0 : hit.score(),
                hit.highlight());
    }

    private static String text(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
