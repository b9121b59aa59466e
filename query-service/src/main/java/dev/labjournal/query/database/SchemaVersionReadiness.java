package dev.labjournal.query.database;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * query-service never migrates: ingest-service owns the schema. It is ready only once the database holds at least
 * the schema version it reads ({@value #REQUIRED}: the query role with its row-level security, runs.extra, metric_rollups, the alert tables and the seen failure groups), so
 * a query-service started before ingest-service says why it waits instead of failing on its first read.
 */
@Readiness
@ApplicationScoped
public class SchemaVersionReadiness implements AsyncHealthCheck {

    /** The newest migration whose tables, views and grants this service relies on. */
    static final int REQUIRED = 7;

    private static final String INSTALLED =
            "SELECT coalesce(max(version::int), 0) FROM flyway_schema_history WHERE success AND version IS NOT NULL";

    private final Pool pool;

    public SchemaVersionReadiness(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query(INSTALLED)
                .execute()
                .map(rows -> rows.iterator().next().getInteger(0))
                .map(installed -> HealthCheckResponse.named("database-schema")
                        .status(installed >= REQUIRED)
                        .withData("installed", installed)
                        .withData("required", REQUIRED)
                        .build())
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("database-schema")
                        .down()
                        .withData("required", REQUIRED)
                        .withData(
                                "error", "no schema history (ingest-service migrates the database): " + e.getMessage())
                        .build());
    }
}
