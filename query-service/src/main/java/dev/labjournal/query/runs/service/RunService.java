package dev.labjournal.query.runs.service;

import dev.labjournal.query.runs.Run;
import dev.labjournal.query.runs.repository.DuplicateReader;
import dev.labjournal.query.runs.repository.RunReader;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads one run, or the runs that repeat it (or would), in one read transaction of the caller's tenant. */
@ApplicationScoped
public class RunService {

    private final Pool pool;
    private final RunReader reader;
    private final DuplicateReader duplicates;

    public RunService(Pool pool, RunReader reader, DuplicateReader duplicates) {
        this.pool = pool;
        this.reader = reader;
        this.duplicates = duplicates;
    }

    /** Null when the tenant has no such run. */
    public Uni<Run> find(TenantScope scope, String runId) {
        return scope.read(pool, conn -> reader.find(conn, runId));
    }

    /** Null when the tenant has no such run. */
    public Uni<DuplicateReader.Duplicates> duplicates(TenantScope scope, String runId) {
        return scope.read(pool, conn -> duplicates.of(conn, runId));
    }

    /** The tenant's runs with this fingerprint, and how they ended. */
    public Uni<DuplicateReader.Duplicates> duplicatesOf(TenantScope scope, String fingerprint) {
        return scope.read(pool, conn -> duplicates.ofFingerprint(conn, fingerprint));
    }
}
