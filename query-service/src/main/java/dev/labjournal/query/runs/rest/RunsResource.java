package dev.labjournal.query.runs.rest;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.runs.repository.DuplicateReader;
import dev.labjournal.query.runs.repository.RunReader;
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
    private final RunReader reader;
    private final DuplicateReader duplicates;

    public RunsResource(CurrentCaller currentCaller, RunReader reader, DuplicateReader duplicates) {
        this.currentCaller = currentCaller;
        this.reader = reader;
        this.duplicates = duplicates;
    }

    @GET
    @Path("/{id}")
    public Uni<RunDetail> get(@PathParam("id") String runId) {
        String tenant = readerTenant();
        return reader.find(tenant, runId).map(run -> {
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
