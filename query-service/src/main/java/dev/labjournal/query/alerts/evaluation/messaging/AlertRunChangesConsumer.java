package dev.labjournal.query.alerts.evaluation.messaging;

import dev.labjournal.query.alerts.evaluation.service.AlertEvaluation;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The second reader of run-changes (consumer group {@code labjournal-query-alerts}, beside the indexer's): each batch
 * is evaluated against the alert rules, and completes (its offsets are committed) only after the alerts it fired are
 * stored. A failed evaluation is retried with backoff; replaying it stores nothing twice.
 */
@ApplicationScoped
public class AlertRunChangesConsumer {

    private static final Logger LOG = Logger.getLogger(AlertRunChangesConsumer.class);

    private final AlertEvaluation evaluation;

    public AlertRunChangesConsumer(AlertEvaluation evaluation) {
        this.evaluation = evaluation;
    }

    @Incoming("alert-run-changes")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        Map<RunRef, RunChange> changes = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
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
        return Uni.createFrom()
                .deferred(() -> evaluation.evaluate(batch))
                .onFailure()
                .invoke(e ->
                        LOG.warnf("evaluating alerts of %d runs failed, retrying: %s", batch.size(), e.getMessage()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .indefinitely()
                .replaceWithVoid();
    }
}
