package dev.labjournal.query.search.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.search.SearchPage;
import dev.labjournal.query.search.filter.Filter;
import dev.labjournal.query.search.filter.FilterException;
import dev.labjournal.query.search.filter.FilterParser;
import dev.labjournal.query.search.filter.SortKey;
import dev.labjournal.query.search.service.Columns;
import dev.labjournal.query.search.service.Facets;
import dev.labjournal.query.search.service.PageToken;
import dev.labjournal.query.search.service.RunSearch;
import dev.labjournal.query.search.service.SearchOrder;
import dev.labjournal.query.search.service.SearchQuery;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Full-text search, filters, sort and facets over the runs of the caller's tenant. */
@Path("/api/v1/runs/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    private final CurrentCaller currentCaller;
    private final RunSearch search;
    private final SearchConfig config;

    public SearchResource(CurrentCaller currentCaller, RunSearch search, SearchConfig config) {
        this.currentCaller = currentCaller;
        this.search = search;
        this.config = config;
    }

    @GET
    public Uni<SearchPage> search(
            @QueryParam("q") String q,
            @QueryParam("filter") String filter,
            @QueryParam("sort") String sort,
            @QueryParam("facets") String facets,
            @QueryParam("facet_size") Integer facetSize,
            @QueryParam("limit") Integer limit,
            @QueryParam("page_token") String pageToken,
            @QueryParam("columns") String columns) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int size = bounded("limit", limit, config.defaultLimit(), config.maxLimit());
        int buckets = bounded("facet_size", facetSize, config.defaultFacetSize(), config.maxFacetSize());
        boolean hasText = q != null && !q.isBlank();
        SearchQuery query = new SearchQuery(
                q,
                filter,
                parseFilter(filter),
                SearchOrder.of(parseSort(sort), hasText),
                Facets.parse(facets),
                buckets,
                size,
                Columns.parse(columns));
        PageToken after = pageToken == null || pageToken.isBlank() ? null : PageToken.decode(pageToken, query.digest());
        return search.search(scope, query, after);
    }

    private static int bounded(String param, Integer value, int fallback, int max) {
        int bounded = value == null ? fallback : value;
        if (bounded < 1 || bounded > max) {
            throw ApiException.badRequest(
                    "invalid_" + param, param + " must be between 1 and " + max, Map.of("param", param));
        }
        return bounded;
    }

    /** The filter of the request (MLflow's grammar with OR and parentheses); 400 with the column where it is wrong. */
    private static Filter parseFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            return FilterParser.parse(filter);
        } catch (FilterException e) {
            throw ApiException.badRequest(
                    "invalid_filter", e.getMessage(), Map.of("param", "filter", "column", e.column()));
        }
    }

    /** The sort of the request (MLflow's order_by form); none: the default order. 400 with the column. */
    private static List<SortKey> parseSort(String sort) {
        if (sort == null || sort.isBlank()) {
            return List.of();
        }
        try {
            return FilterParser.parseSort(sort);
        } catch (FilterException e) {
            throw ApiException.badRequest(
                    "invalid_sort", e.getMessage(), Map.of("param", "sort", "column", e.column()));
        }
    }
}
