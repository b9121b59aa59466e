package dev.labjournal.ingest.normalise.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Unready while a consumer has made no progress on its partitions for the configured time (see ConsumerProgress). */
@Readiness
@ApplicationScoped
public class StallReadiness implements HealthCheck {

    private final ConsumerProgress progress;

    public StallReadiness(ConsumerProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        return progress.health();
    }
}
