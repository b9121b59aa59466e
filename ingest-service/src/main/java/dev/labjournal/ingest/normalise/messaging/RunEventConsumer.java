package dev.labjournal.ingest.normalise.messaging;

import dev.labjournal.common.metrics.LatencyTimers;
import dev.labjournal.ingest.admission.EventAdmission;
import dev.labjournal.ingest.admission.StructuredEvents;
import dev.labjournal.ingest.config.IngestConfig;
import dev.labjournal.ingest.domain.IngestResult;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.kafka.DeadLetters;
import dev.labjournal.ingest.kafka.KafkaPublisher;
import dev.labjournal.ingest.kafka.RunChanges;
import dev.labjournal.ingest.kafka.TopicLimits;
import dev.labjournal.ingest.normalise.service.Failures;
import dev.labjournal.ingest.normalise.service.IngestService;
import dev.labjournal.schemas.ValidationError;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes run events in batches. Invalid events go to the dead-letter topic and never stop the consumer; valid
 * ones are stored in one transaction; then run changes are published. Only when all of that is acknowledged does the
 * batch complete, and only then are its offsets committed: a crash anywhere replays the batch, which the event-id
 * ledger makes harmless.
 *
 * <p>No event can stop its partition: only infrastructure failures (database or Kafka unreachable) are retried
 * without end; {@link IngestService} dead-letters an event that fails for any other reason after a few retries.
 */
@ApplicationScoped
public class RunEventConsumer {

    private static final Logger LOG = Logger.getLogger(RunEventConsumer.class);

    private final EventAdmission admission;
    private final IngestService ingest;
    private final KafkaPublisher publisher;
    private final TopicLimits topicLimits;
    private final ConsumerProgress progress;
    private final IngestConfig config;
    private final MeterRegistry meters;

    public RunEventConsumer(
            EventAdmission admission,
            IngestService ingest,
            KafkaPublisher publisher,
            TopicLimits topicLimits,
            ConsumerProgress progress,
            IngestConfig config,
            MeterRegistry meters) {
        this.admission = admission;
        this.ingest = ingest;
        this.publisher = publisher;
        this.topicLimits = topicLimits;
        this.progress = progress;
        this.config = config;
        this.meters = meters;
    }

    /** The events of one batch after admission: what may be stored, and what goes to the dead-letter topic. */
    private record Admitted(List<RunEvent> valid, List<Rejection> invalid) {}

    @Incoming("run-events")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        long token = progress.started(partitionsOf(records));
        Timer.Sample admitting = Timer.start();
        // Validation is CPU work on up to megabytes: a worker thread, never the event loop that serves health checks.
        return Uni.createFrom()
                .item(() -> admitAll(records))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(admitted -> {
                    admitting.stop(stageTimer("admit"));
                    Timer.Sample storing = Timer.start();
                    return store(admitted.valid()).chain(result -> {
                        storing.stop(stageTimer("store"));
                        Timer.Sample publishing = Timer.start();
                        return publish(result, admitted.invalid()).invoke(() -> publishing.stop(stageTimer("publish")));
                    });
                })
                .eventually(() -> progress.finished(token));
    }

    /**
     * {@code labjournal.ingest.batch{stage}}: how long a batch takes to validate ({@code admit}), to store in one
     * transaction ({@code store}) and to publish its run changes and dead letters ({@code publish}).
     */
    private Timer stageTimer(String stage) {
        return LatencyTimers.register(
                meters,
                "labjournal.ingest.batch",
                "Time of one batch's stages: admit (validate), store (one transaction), publish",
                "stage",
                stage);
    }

    private Uni<IngestResult> store(List<RunEvent> valid) {
        return ingest.ingest(valid)
                .onFailure(Failures::isInfrastructure)
                .invoke(e -> {
                    meters.counter("labjournal.ingest.batch.failures", "kind", "infrastructure")
                            .increment();
                    LOG.warnf("storing a batch of %d events failed, retrying: %s", valid.size(), e);
                })
                .onFailure(Failures::isInfrastructure)
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .indefinitely()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.errorf(e, "a batch of %d events failed unexpectedly; dead-lettering it", valid.size());
                    return valid.stream()
                            .map(event ->
                                    IngestResult.rejected(Rejection.internalError(e, event.raw(), event.position())))
                            .reduce(IngestResult.empty(), IngestResult::plus);
                });
    }

    private Admitted admitAll(ConsumerRecords<String, byte[]> records) {
        List<RunEvent> valid = new ArrayList<>();
        List<Rejection> invalid = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            admit(record, valid, invalid);
        }
        return new Admitted(valid, invalid);
    }

    private void admit(ConsumerRecord<String, byte[]> record, List<RunEvent> valid, List<Rejection> invalid) {
        List<RunEvent.SourcePosition.Header> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new RunEvent.SourcePosition.Header(header.key(), header.value()));
        }
        RunEvent.SourcePosition position =
                new RunEvent.SourcePosition(record.topic(), record.partition(), record.offset(), record.key(), headers);
        byte[] raw = record.value() == null ? new byte[0] : record.value();
        try {
            byte[] structured = StructuredEvents.toStructured(record.topic(), record.headers(), record.value());
            EventAdmission.Admitted admitted = admission.admit(structured, position);
            if (!admitted.accepted()) {
                ValidationError first = admitted.errors().get(0);
                invalid.add(new Rejection(first.code(), first.path(), reasonOf(admitted.errors()), raw, position));
            } else if (!Objects.equals(record.key(), admitted.event().runId())) {
                invalid.add(new Rejection(
                        "key_mismatch", "$.subject", keyMismatch(record.key(), admitted.event()), raw, position));
            } else {
                valid.add(admitted.event());
            }
        } catch (IllegalArgumentException e) {
            invalid.add(new Rejection("malformed_cloudevent", "$", e.getMessage(), raw, position));
        } catch (RuntimeException e) {
            LOG.errorf(
                    e,
                    "unexpected failure reading the record at %s-%d@%d",
                    record.topic(),
                    record.partition(),
                    record.offset());
            invalid.add(new Rejection("unreadable", "$", "the event could not be read: " + e, raw, position));
        }
    }

    /**
     * One run's events stay in order only on one partition, that of the run id: an event keyed otherwise could be
     * stored before an earlier event of its run that another consumer holds.
     */
    private static String keyMismatch(String key, RunEvent event) {
        String got = key == null ? "the record has no key" : "the record key is '" + key + "'";
        return got + ", but the event's subject (its run id) is '" + event.runId()
                + "': publish each event with its run id as the Kafka key, so that a run's events stay in order";
    }

    private static String reasonOf(List<ValidationError> errors) {
        StringBuilder reason = new StringBuilder();
        for (ValidationError error : errors) {
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append(error.path()).append(": ").append(error.reason());
        }
        return reason.toString();
    }

    private static String partitionsOf(ConsumerRecords<String, byte[]> records) {
        TreeSet<String> partitions = new TreeSet<>();
        records.partitions().forEach(p -> partitions.add(p.toString()));
        return String.join(",", partitions);
    }

    private Uni<Void> publish(IngestResult result, List<Rejection> invalid) {
        List<Rejection> rejections = new ArrayList<>(invalid);
        rejections.addAll(result.rejections());
        meters.counter("labjournal.ingest.events", "outcome", "applied").increment(result.appliedEvents());
        meters.counter("labjournal.ingest.metric.points").increment(result.appliedPoints());
        result.unknownMembers()
                .forEach((type, count) -> meters.counter("labjournal.ingest.unknown.members", "type", type)
                        .increment(count));
        Uni<Integer> deadLetterLimit =
                rejections.isEmpty() ? Uni.createFrom().item(0) : topicLimits.maxRecordBytes(config.deadLetterTopic());
        return deadLetterLimit
                .chain(limit -> {
                    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
                    for (Rejection rejection : rejections) {
                        LOG.infof(
                                "dead-lettered an event (%s at %s): %s",
                                rejection.code(), rejection.path(), rejection.reason());
                        records.add(DeadLetters.of(rejection, config.deadLetterTopic(), limit));
                    }
                    records.addAll(RunChanges.of(result.changes().values()));
                    return send(records);
                })
                .invoke(() -> rejections.forEach(r -> meters.counter("labjournal.ingest.dead.letters", "code", r.code())
                        .increment()));
    }

    /**
     * Sends until Kafka has every record. A refusal that is not the infrastructure's (a record the broker finds too
     * large after all) is retried a few times, then the dead letters go without their values (their headers still
     * say what, where and why, and where the original is in the source topic) rather than stop the partition.
     */
    private Uni<Void> send(List<ProducerRecord<String, byte[]>> records) {
        return publisher
                .sendAll(records)
                .onFailure(e -> !Failures.isInfrastructure(e))
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .atMost(config.internalErrorRetries())
                .onFailure(e -> !Failures.isInfrastructure(e))
                .recoverWithUni(e -> {
                    LOG.errorf(
                            e,
                            "Kafka refused %d records; sending the dead letters without their values",
                            records.size());
                    return publisher.sendAll(
                            records.stream().map(DeadLetters::withoutValue).toList());
                })
                .onFailure(Failures::isInfrastructure)
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .indefinitely();
    }
}
