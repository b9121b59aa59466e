package dev.labjournal.query.compare.rest;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.compare.Comparison;
import dev.labjournal.query.compare.service.CompareService;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        return compare.compare(scope, parse(runIds));
    }

    /** The distinct ids of a comma-separated list, in their first order; empty items (a trailing comma) are skipped. */
    static List<String> parse(String runIds) {
        Set<String> ids = new LinkedHashSet<>();
        if (runIds != null) {
            for (String item : runIds.split(",")) {
                String id = item.strip();
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
        if (ids.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_run_ids",
                    "run_ids must name at least one run: a comma-separated list of run ids",
                    Map.of("param", "run_ids"));
        }
        if (ids.size() > MAX_RUNS) {
            throw ApiException.badRequest(
                    "invalid_run_ids",
                    "run_ids names " + ids.size() + " distinct runs; a comparison takes at most " + MAX_RUNS,
                    Map.of("param", "run_ids", "count", ids.size(), "max", MAX_RUNS));
        }
        return List.copyOf(ids);
    }
}
