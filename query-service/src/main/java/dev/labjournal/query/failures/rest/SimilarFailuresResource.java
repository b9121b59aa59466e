package dev.labjournal.query.failures.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.failures.FailuresConfig;
import dev.labjournal.query.failures.SimilarFailures;
import dev.labjournal.query.failures.service.SimilarFailureSearch;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.runs.service.RunService;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The failed runs of every team of the caller's tenant that failed like a run. A resource of its own rather than a
 * method of {@code RunsResource}: JAX-RS picks the root resource by its path first, so the longest path wins.
 */
@Path("/api/v1/runs/{id}/similar-failures")
@Produces(MediaType.APPLICATION_JSON)
public class SimilarFailuresResource {

    private final CurrentCaller currentCaller;
    private final RunService runs;
    private final SimilarFailureSearch similar;
    private final FailuresConfig config;

    public SimilarFailuresResource(
            CurrentCaller currentCaller, RunService runs, SimilarFailureSearch similar, FailuresConfig config) {
        this.currentCaller = currentCaller;
        this.runs = runs;
        this.similar = similar;
        this.config = config;
    }

    /**
     * The failed runs of every team of the tenant that failed like this run, best first. The run is read from
     * PostgreSQL (404 when the tenant has none of that id), its signature computed as the indexer computes it.
     */
    @GET
    public Uni<SimilarFailures> similarFailures(@PathParam("id") String runId, @QueryParam("limit") Integer limit) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        int size = Limits.bounded("limit", limit, config.similarDefaultLimit(), config.similarMaxLimit());
        return runs.find(scope, runId).chain(run -> {
            if (run == null) {
                throw ApiException.notFound("no run '" + runId + "' in this tenant");
            }
            FailureSignature signature = run.failure() == null
                    ? null
                    : FailureSignature.of(
                            run.failure().type(),
                            run.failure().message(),
                            run.failure().stacktrace());
            return similar.similar(scope, runId, signature, size);
        });
    }
}
