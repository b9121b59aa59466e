package dev.labjournal.query.compare.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.query.compare.Comparison;
import dev.labjournal.query.compare.service.CompareService;
import dev.labjournal.query.runs.rest.RunIdsParam;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Compare runs of the caller's tenant side by side. */
@Path("/api/v1/compare")
@Produces(MediaType.APPLICATION_JSON)
public class CompareResource {

    /** The most distinct runs one comparison takes. */
    static final int MAX_RUNS = 100;

    private final CurrentCaller currentCaller;
    private final CompareService compare;

    public CompareResource(CurrentCaller currentCaller, CompareService compare) {
        this.currentCaller = currentCaller;
        this.compare = compare;
    }

    @GET
    public Uni<Comparison> compare(@QueryParam("run_ids") String runIds) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        return compare.compare(scope, RunIdsParam.parse(runIds, MAX_RUNS));
    }
}
