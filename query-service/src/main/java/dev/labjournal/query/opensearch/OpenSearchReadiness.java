package dev.labjournal.query.opensearch;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.HealthStatus;

/** Ready only while OpenSearch answers with a green or yellow cluster. */
@Readiness
@ApplicationScoped
public class OpenSearchReadiness implements AsyncHealthCheck {

    private final OpenSearchAsyncClient client;

    public OpenSearchReadiness(OpenSearchAsyncClient client) {
        this.client = client;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.cluster().health();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .map(health -> HealthCheckResponse.named("opensearch")
                        .status(health.status() != HealthStatus.Red)
                        .withData("status", health.status().jsonValue())
                        .build())
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("opensearch")
                        .down()
                        .withData("error", String.valueOf(e.getMessage()))
                        .build());
    }
}
