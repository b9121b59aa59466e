package dev.labjournal.query.runs.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.query.runs.repository.DuplicateReader;
import dev.labjournal.query.runs.service.RunService;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Would this run repeat earlier ones? Asked before the run exists (an SDK at start): the runs of the caller's tenant
 * with the fingerprint of the given project, commit, dataset digests and params, and how they ended.
 */
@Path("/api/v1/duplicates")
@Produces(MediaType.APPLICATION_JSON)
public class DuplicateCheckResource {

    private final CurrentCaller currentCaller;
    private final RunService runs;

    public DuplicateCheckResource(CurrentCaller currentCaller, RunService runs) {
        this.currentCaller = currentCaller;
        this.runs = runs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DuplicateReader.Duplicates> check(String body) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        return runs.duplicatesOf(scope, PlannedRun.parse(body).fingerprint());
    }
}
