package dev.labjournal.ingest.normalise.service;

import dev.labjournal.ingest.config.IngestConfig;
import dev.labjournal.ingest.domain.RunEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes chosen events fail while they are stored, so that the end-to-end tests can prove what a programming error
 * or a lost connection does to a partition. Off unless {@code labjournal.ingest.faults.fail-event-ids} is set; the
 * tests set it only on an ingest-service instance of their own.
 */
@ApplicationScoped
public class FaultInjection {

    private final Optional<Pattern> failing;
    private final boolean infrastructure;

    public FaultInjection(IngestConfig config) {
        this.failing = config.faults().failEventIds().map(Pattern::compile);
        this.infrastructure = config.faults().kind().equals("infrastructure");
    }

    /** Fails if one of the events is chosen to fail; else succeeds at once. */
    Uni<Void> check(List<RunEvent> events) {
        if (failing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        for (RunEvent event : events) {
            if (failing.get().matcher(event.id()).matches()) {
                return Uni.createFrom()
                        .failure(
                                infrastructure
                                        ? new ConnectException("injected: connection refused storing " + event.id())
                                        : new IllegalStateException(
                                                "injected programming error storing " + event.id()));
            }
        }
        return Uni.createFrom().voidItem();
    }
}
