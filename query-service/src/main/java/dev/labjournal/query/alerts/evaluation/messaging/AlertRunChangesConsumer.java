package dev.labjournal.query.alerts.evaluation.messaging;

import dev.labjournal.query.alerts.evaluation.service.BatchEvaluation;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    private final Timer evaluating;

    public AlertRunChangesConsumer(BatchEvaluation evaluation, MeterRegistry registry) {
        this.evaluation = evaluation;
        this.delay = Timer.builder("labjournal.query.alerts.evaluation.delay")
                .description("From the oldest run change of a batch being published to the batch's alerts stored")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.evaluating = Timer.builder("labjournal.query.alerts.evaluation")
                .description("Time to evaluate one batch of run changes against the rules and store its alerts")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    @Incoming("alert-run-changes")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        Map<RunRef, RunChange> changes = new LinkedHashMap<>();
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> record : records) {
            oldest = Math.min(oldest, record.timestamp());
            try {
                RunChange change = RunChangeCodec.fromJson(record.value());
                changes.merge(new RunRef(change.tenant(), change.runId()), change, RunChangeMerge::merge);
            } catch (RuntimeException e) {
                LOG.errorf(
                        "skipping an unreadable run-changes message at %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<RunChange> batch = List.copyOf(changes.values());
        long published = oldest;
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
