package dev.labjournal.query.rest;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.RunView;
import dev.labjournal.query.config.SearchConfig;
import dev.labjournal.query.repository.DuplicateReader;
import dev.labjournal.query.repository.RunReader;
import dev.labjournal.query.search.PageToken;
import dev.labjournal.query.search.RunSearch;
import dev.labjournal.query.search.SearchPage;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Search and read runs of the caller's tenant. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    private final CurrentCaller currentCaller;
    private final RunSearch search;
    private final RunReader reader;
    private final DuplicateReader duplicates;
    private final SearchConfig config;

    public RunsResource(
            CurrentCaller currentCaller,
            RunSearch search,
            RunReader reader,
            DuplicateReader duplicates,
            SearchConfig config) {
        this.currentCaller = currentCaller;
        this.search = search;
        this.reader = reader;
        this.duplicates = duplicates;
        this.config = config;
    }

    @GET
    @Path("/search")
    public Uni<SearchPage> search(
            @QueryParam("q") String q, @QueryParam("limit") Integer limit, @QueryParam("page_token") String pageToken) {
        String tenant = readerTenant();
        int size = limit == null ? config.defaultLimit() : limit;
        if (size < 1 || size > config.maxLimit()) {
            throw ApiException.badRequest(
                    "invalid_limit", "limit must be between 1 and " + config.maxLimit(), Map.of("param", "limit"));
        }
        PageToken after = pageToken == null || pageToken.isBlank() ? null : PageToken.decode(pageToken);
        return search.search(tenant, q, size, after);
    }

    @GET
    @Path("/{id}")
    public Uni<RunView> get(@PathParam("id") String runId) {
        String tenant = readerTenant();
        return reader.find(tenant, runId).map(run -> {
            if (run == null) {
                throw ApiException.notFound("no run '" + runId + "' in this tenant");
            }
            return run;
        });
    }

    /** Runs with the same fingerprint (project, commit, dataset digests, params) and how they ended. */
    @GET
    @Path("/{id}/duplicates")
    public Uni<DuplicateReader.Duplicates> duplicates(@PathParam("id") String runId) {
        String tenant = readerTenant();
        return duplicates.of(tenant, runId).map(found -> {
            if (found == null) {
                throw ApiException.notFound("no run '" + runId + "' in this tenant");
            }
            return found;
        });
    }

    private String readerTenant() {
        Caller caller = currentCaller.get();
        caller.require(Scope.READ);
        return caller.requireTenant();
    }
}
