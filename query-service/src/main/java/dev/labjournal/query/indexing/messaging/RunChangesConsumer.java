package dev.labjournal.query.indexing.messaging;

import dev.labjournal.common.metrics.LatencyTimers;
import dev.labjournal.query.indexing.service.IndexingService;
import dev.labjournal.query.runs.messaging.RunChangeRecords;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the search index in step with PostgreSQL: each run-changes batch names runs whose rows changed; they are
 * re-read and re-indexed in one bulk request. The batch completes (and its offsets are committed) only after the
 * bulk request succeeded.
 */
@ApplicationScoped
public class RunChangesConsumer {

    private static final Logger LOG = Logger.getLogger(RunChangesConsumer.class);

    private final IndexingService indexing;
    private final Timer delay;
    private final Counter unreadable;

    public RunChangesConsumer(IndexingService indexing, MeterRegistry registry) {
        this.indexing = indexing;
        this.unreadable = RunChangeRecords.unreadableCounter(registry, "indexer");
        this.delay = LatencyTimers.register(
                registry,
                "labjournal.query.indexing.delay",
                "From the oldest run change of a batch being published to the batch being indexed");
    }

    @Incoming("run-changes")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        RunChangeRecords read = RunChangeRecords.read(records, unreadable);
        Set<RunRef> runs = new LinkedHashSet<>();
        read.changes().forEach(change -> runs.add(new RunRef(change.tenant(), change.runId())));
        long published = read.oldestPublished();
        return indexing.reindex(List.copyOf(runs))
                .invoke(() -> delay.record(System.currentTimeMillis() - published, TimeUnit.MILLISECONDS))
                .onFailure()
                .invoke(e -> LOG.warnf("indexing %d runs failed, retrying: %s", runs.size(), e.getMessage()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .indefinitely();
    }
}
