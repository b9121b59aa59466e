package dev.labjournal.query.search.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.opensearch.SearchUnavailable;
import dev.labjournal.query.search.SearchPage;
import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.FilterQueries;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Time;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.TextQueryType;
import org.opensearch.client.opensearch.core.CreatePitResponse;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Highlight;
import org.opensearch.client.opensearch.core.search.HighlighterEncoder;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.core.search.Pit;

/** Full-text search over runs, always confined to one tenant by a server-side filter. */
@ApplicationScoped
public class RunSearch {

    private static final Logger LOG = Logger.getLogger(RunSearch.class);

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
     * One page of the scope's runs that match the query's text (all runs when blank) and filter, combined with AND,
     * in the query's order, after the page token's position (null: the first page); with the facets of the whole
     * match.
     *
     * <p>Pages follow each other by search_after on the sort values of the last hit, which end in the run id, so no
     * hit has the place of another. With a field order (the default newest first, or {@code sort}) pages are read
     * from the live index: runs added meanwhile appear only where they sort after the cursor, and a run whose sort
     * values do not change is never repeated or skipped. A relevance order is different: scores depend on the
     * statistics of the whole index, so any run added moves every score. Its pages are therefore read from one point
     * in time (PIT), opened with the first page, kept {@link SearchConfig#pitKeepAlive()} after each page and closed
     * with the last; when it has expired the next page is a 400 {@code expired_page_token}. When none can be opened
     * (OpenSearch limits how many are open, {@code search.max_open_pit_context}), the search pages the live index
     * like a field order, and says so in the log.
     */
    public Uni<SearchPage> search(TenantScope scope, SearchQuery query, PageToken after) {
        if (!query.order().relevance() || after != null) {
            return page(scope, query, after, after == null ? null : after.pit());
        }
        return openPit()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf(
                            "no point in time for a relevance search, paging from the live index: %s", e.getMessage());
                    return null;
                })
                .chain(pit -> page(scope, query, null, pit));
    }

    private Uni<SearchPage> page(TenantScope scope, SearchQuery query, PageToken after, String pit) {
        SearchRequest request = request(scope, query, after, pit);
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
                .onFailure(e -> pit != null && isMissingContext(e))
                .transform(e -> ApiException.badRequest(
                        "expired_page_token",
                        "the point in time of this search has expired (pages of a relevance-ordered search must"
                                + " follow each other within "
                                + config.pitKeepAlive().toSeconds()
                                + " s): search again from the first page",
                        Map.of("param", "page_token")))
                .map(response -> toPage(response, query, pit));
    }

    SearchRequest request(TenantScope scope, SearchQuery query, PageToken after, String pit) {
        List<Query> filters = query.filter() == null
                ? List.of(scope.searchFilter())
                : List.of(scope.searchFilter(), FilterQueries.of(query.filter()));
        Query matching = query.hasText()
                ? Query.of(q -> q.multiMatch(m -> m.query(query.text())
                        .fields(TEXT_FIELDS)
                        .type(TextQueryType.CrossFields)
                        .minimumShouldMatch(MINIMUM_SHOULD_MATCH)))
                : Query.of(q -> q.matchAll(m -> m));
        return SearchRequest.of(s -> {
            if (pit == null) {
                s.index(config.index());
            } else {
                s.pit(Pit.of(p -> p.id(pit).keepAlive(keepAlive())));
            }
            s.query(q -> q.bool(b -> b.filter(filters).must(matching)))
                    .size(query.limit() + 1)
                    .trackTotalHits(t -> t.enabled(true))
                    .trackScores(query.hasText())
                    .source(src -> src.filter(f -> f.excludes(excluded(query))))
                    .sort(query.order().options())
                    .highlight(highlight());
            if (!query.facets().isEmpty()) {
                s.aggregations(Facets.aggregations(query.facets(), query.facetSize()));
            }
            if (after != null) {
                s.searchAfter(after.sortValues());
            }
            return s;
        });
    }

    private Uni<String> openPit() {
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.createPit(
                                p -> p.index(config.index()).keepAlive(Time.of(t -> t.time(keepAlive()))));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(CreatePitResponse::pitId);
    }

    /** Closes a point in time whose last page was read; if that fails it expires by itself. */
    private void closePit(String pit) {
        try {
            client.deletePit(d -> d.pitId(pit)).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.debugf("could not close a point in time: %s", e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.debugf("could not close a point in time: %s", e.getMessage());
        }
    }

    private String keepAlive() {
        return config.pitKeepAlive().toSeconds() + "s";
    }

    /** Whether a failure is OpenSearch's "no such search context": an expired or deleted point in time. */
    private static boolean isMissingContext(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OpenSearchException os && os.status() == 404) {
                return true;
            }
        }
        return false;
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

    private SearchPage toPage(SearchResponse<ObjectNode> response, SearchQuery query, String pit) {
        int limit = query.limit();
        List<Hit<ObjectNode>> hits = response.hits().hits();
        List<SearchPage.Hit> page = hits.stream()
                .limit(limit)
                .map(hit -> toHit(hit, query.columns()))
                .toList();
        String next = null;
        if (hits.size() > limit) {
            Hit<ObjectNode> last = hits.get(limit - 1);
            next = new PageToken(query.digest(), last.sort(), pit).encode();
        } else if (pit != null) {
            closePit(pit);
        }
        long total = response.hits().total() == null
                ? page.size()
                : response.hits().total().value();
        Map<String, List<SearchPage.FacetValue>> facets =
                query.facets().isEmpty() ? Map.of() : Facets.read(query.facets(), response.aggregations());
        return new SearchPage(total, page, next, facets);
    }

    /** Fields no hit shows; the nested lists only while no column reads them. */
    private static List<String> excluded(SearchQuery query) {
        List<String> excluded = new ArrayList<>(List.of(
                "failure_stacktrace", "params", "tags", "metrics", "datasets", "params_text", "tags_text", "notes"));
        excluded.removeAll(Columns.sources(query.columns()));
        return excluded;
    }

    private static SearchPage.Hit toHit(Hit<ObjectNode> hit, List<Field> columns) {
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
                hit.highlight(),
                columns.isEmpty() ? Map.of() : Columns.values(doc, columns));
    }

    private static String text(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
