package dev.labjournal.query.runs.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.runs.repository.DuplicateReader;
import dev.labjournal.query.runs.service.RunService;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Read one run of the caller's tenant, and the runs that repeat it. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    private final CurrentCaller currentCaller;
    private final RunService runs;

    public RunsResource(CurrentCaller currentCaller, RunService runs) {
        this.currentCaller = currentCaller;
        this.runs = runs;
    }

    @GET
    @Path("/{id}")
    public Uni<RunDetail> get(@PathParam("id") String runId) {
        return runs.find(TenantScope.ofReader(currentCaller.get()), runId).map(run -> {
            if (run == null) {
                throw ApiException.notFound("no run '" + runId + "' in this tenant");
            }
            return RunDetail.of(run);
        });
    }

    /** Runs with the same fingerprint (project, commit, dataset digests, params) and how they ended. */
    @GET
    @Path("/{id}/duplicates")
    public Uni<DuplicateReader.Duplicates> duplicates(@PathParam("id") String runId) {
        return runs.duplicates(TenantScope.ofReader(currentCaller.get()), runId).map(found -> {
            if (found == null) {
                throw ApiException.notFound("no run '" + runId + "' in this tenant");
            }
            return found;
        });
    }
}
