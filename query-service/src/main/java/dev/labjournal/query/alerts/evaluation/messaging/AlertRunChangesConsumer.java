package dev.labjournal.query.alerts.evaluation.messaging;

import dev.labjournal.common.metrics.LatencyTimers;
import dev.labjournal.query.alerts.evaluation.service.BatchEvaluation;
import dev.labjournal.query.runs.messaging.RunChangeRecords;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.schemas.changes.RunChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The second reader of run-changes (consumer group {@code labjournal-query-alerts}, beside the indexer's): each batch
 * is evaluated against the alert rules, and completes (its offsets are committed) only after the alerts it fired are
 * stored. A change that fails on its own while PostgreSQL answers is skipped ({@link BatchEvaluation}); a batch that
 * fails otherwise (PostgreSQL away) is retried with backoff until it is stored; replaying it stores nothing twice.
 */
@ApplicationScoped
public class AlertRunChangesConsumer {

    private static final Logger LOG = Logger.getLogger(AlertRunChangesConsumer.class);

    private final BatchEvaluation evaluation;
    private final Timer delay;
    private final Counter unreadable;
    private final Timer evaluating;

    public AlertRunChangesConsumer(BatchEvaluation evaluation, MeterRegistry registry) {
        this.evaluation = evaluation;
        this.unreadable = RunChangeRecords.unreadableCounter(registry, "alerts");
        this.delay = LatencyTimers.register(
                registry,
                "labjournal.query.alerts.evaluation.delay",
                "From the oldest run change of a batch being published to the batch's alerts stored");
        this.evaluating = LatencyTimers.register(
                registry,
                "labjournal.query.alerts.evaluation",
                "Time to evaluate one batch of run changes against the rules and store its alerts");
    }

    @Incoming("alert-run-changes")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        RunChangeRecords read = RunChangeRecords.read(records, unreadable);
        Map<RunRef, RunChange> changes = new LinkedHashMap<>();
        read.changes()
                .forEach(change ->
                        changes.merge(new RunRef(change.tenant(), change.runId()), change, RunChangeMerge::merge));
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<RunChange> batch = List.copyOf(changes.values());
        long published = read.oldestPublished();
        Timer.Sample sample = Timer.start();
        return Uni.createFrom()
                .deferred(() -> evaluation.evaluate(batch))
                .onFailure()
                .invoke(e ->
                        LOG.warnf("evaluating alerts of %d runs failed, retrying: %s", batch.size(), e.getMessage()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .indefinitely()
                .invoke(() -> {
                    sample.stop(evaluating);
                    delay.record(System.currentTimeMillis() - published, TimeUnit.MILLISECONDS);
                })
                .replaceWithVoid();
    }
}
