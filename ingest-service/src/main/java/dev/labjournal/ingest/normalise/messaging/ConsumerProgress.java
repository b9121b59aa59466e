package dev.labjournal.ingest.normalise.messaging;

import dev.labjournal.ingest.config.IngestConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Watches the batches in flight. A batch holds polled records whose offsets are not committed yet (lag), so a batch
 * unfinished after {@code labjournal.ingest.stall-after} is a stalled partition: {@link StallReadiness} turns the
 * service unready and says which partitions wait and since when, {@code labjournal_ingest_stalled_batches} shows how many stall now and
 * {@code labjournal_ingest_stalls_total} counts every batch that ever stalled.
 */
@ApplicationScoped
public class ConsumerProgress {

    /** A batch in flight: where its records come from, since when it runs, and whether its stall was counted. */
    private static final class InFlight {
        final String partitions;
        final Instant since = Instant.now();
        boolean counted;

        InFlight(String partitions) {
            this.partitions = partitions;
        }
    }

    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Duration stallAfter;
    private final MeterRegistry meters;

    public ConsumerProgress(IngestConfig config, MeterRegistry meters) {
        this.stallAfter = config.stallAfter();
        this.meters = meters;
        Gauge.builder("labjournal.ingest.stalled.batches", this, ConsumerProgress::countStalled)
                .description("batches unfinished for longer than labjournal.ingest.stall-after")
                .register(meters);
    }

    /** @return the token to pass to {@link #finished} */
    long started(String partitions) {
        long id = ids.incrementAndGet();
        inFlight.put(id, new InFlight(partitions));
        return id;
    }

    void finished(long token) {
        inFlight.remove(token);
    }

    private double countStalled() {
        Instant limit = Instant.now().minus(stallAfter);
        int stalled = 0;
        for (InFlight batch : inFlight.values()) {
            if (batch.since.isBefore(limit)) {
                stalled++;
                synchronized (batch) {
                    if (!batch.counted) {
                        batch.counted = true;
                        meters.counter("labjournal.ingest.stalls").increment();
                    }
                }
            }
        }
        return stalled;
    }

    /** The readiness of the consumers: down while a batch stalls, naming its partitions. */
    HealthCheckResponse health() {
        Instant limit = Instant.now().minus(stallAfter);
        var response = HealthCheckResponse.named("consumer-progress").up();
        countStalled();
        for (InFlight batch : inFlight.values()) {
            if (batch.since.isBefore(limit)) {
                response.down().withData(batch.partitions, "no progress since " + batch.since);
            }
        }
        return response.withData("stall-after", stallAfter.toString()).build();
    }
}
