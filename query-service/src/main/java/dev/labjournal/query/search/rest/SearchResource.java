package dev.labjournal.query.search.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.search.SearchPage;
import dev.labjournal.query.search.filter.Filter;
import dev.labjournal.query.search.filter.FilterException;
import dev.labjournal.query.search.filter.FilterParser;
import dev.labjournal.query.search.filter.FilterQueries;
import dev.labjournal.query.search.service.PageToken;
import dev.labjournal.query.search.service.RunSearch;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Full-text search over the runs of the caller's tenant. */
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
            @QueryParam("limit") Integer limit,
            @QueryParam("page_token") String pageToken) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int size = limit == null ? config.defaultLimit() : limit;
        if (size < 1 || size > config.maxLimit()) {
            throw ApiException.badRequest(
                    "invalid_limit", "limit must be between 1 and " + config.maxLimit(), Map.of("param", "limit"));
        }
        PageToken after = pageToken == null || pageToken.isBlank() ? null : PageToken.decode(pageToken);
        return search.search(scope, q, parse(filter), size, after);
    }

    /** The filter of the request (MLflow's grammar with OR and parentheses); 400 with the column where it is wrong. */
    private static Filter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            Filter parsed = FilterParser.parse(filter);
            FilterQueries.of(parsed);
            return parsed;
        } catch (FilterException e) {
            throw ApiException.badRequest(
                    "invalid_filter", e.getMessage(), Map.of("param", "filter", "column", e.column()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_filter", e.getMessage(), Map.of("param", "filter"));
        }
    }
}
