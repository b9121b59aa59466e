package dev.labjournal.ingest.normalise.messaging;

import dev.labjournal.ingest.admission.EventAdmission;
import dev.labjournal.ingest.admission.StructuredEvents;
import dev.labjournal.ingest.config.IngestConfig;
import dev.labjournal.ingest.domain.IngestResult;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.kafka.DeadLetters;
import dev.labjournal.ingest.kafka.KafkaPublisher;
import dev.labjournal.ingest.kafka.RunChanges;
import dev.labjournal.ingest.normalise.service.IngestService;
import dev.labjournal.schemas.ValidationError;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes run events in batches. Invalid events go to the dead-letter topic and never stop the consumer; valid
 * ones are stored in one transaction; then run changes are published. Only when all of that is acknowledged does the
 * batch complete, and only then are its offsets committed: a crash anywhere replays the batch, which the event-id
 * ledger makes harmless.
 */
@ApplicationScoped
public class RunEventConsumer {

    private static final Logger LOG = Logger.getLogger(RunEventConsumer.class);

    private final EventAdmission admission;
    private final IngestService ingest;
    private final KafkaPublisher publisher;
    private final IngestConfig config;
    private final MeterRegistry meters;

    public RunEventConsumer(
            EventAdmission admission,
            IngestService ingest,
            KafkaPublisher publisher,
            IngestConfig config,
            MeterRegistry meters) {
        this.admission = admission;
        this.ingest = ingest;
        this.publisher = publisher;
        this.config = config;
        this.meters = meters;
    }

    @Incoming("run-events")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<RunEvent> valid = new ArrayList<>();
        List<Rejection> invalid = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            admit(record, valid, invalid);
        }
        return ingest.ingest(valid)
                .onFailure()
                .invoke(e -> LOG.warnf("storing a batch of %d events failed, retrying: %s", valid.size(), e))
                .onFailure()
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .indefinitely()
                .chain(result -> publish(result, invalid));
    }

    private void admit(ConsumerRecord<String, byte[]> record, List<RunEvent> valid, List<Rejection> invalid) {
        RunEvent.SourcePosition position =
                new RunEvent.SourcePosition(record.topic(), record.partition(), record.offset(), record.key());
        byte[] raw = record.value() == null ? new byte[0] : record.value();
        try {
            byte[] structured = StructuredEvents.toStructured(record.topic(), record.headers(), record.value());
            EventAdmission.Admitted admitted = admission.admit(structured, position);
            if (admitted.accepted()) {
                valid.add(admitted.event());
            } else {
                ValidationError first = admitted.errors().get(0);
                invalid.add(new Rejection(first.code(), first.path(), reasonOf(admitted.errors()), raw, position));
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

    private Uni<Void> publish(IngestResult result, List<Rejection> invalid) {
        List<Rejection> rejections = new ArrayList<>(invalid);
        rejections.addAll(result.rejections());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (Rejection rejection : rejections) {
            LOG.infof("dead-lettered an event (%s at %s): %s", rejection.code(), rejection.path(), rejection.reason());
            records.add(DeadLetters.of(rejection));
        }
        records.addAll(RunChanges.of(result.runVersions()));
        meters.counter("labjournal.ingest.events", "outcome", "applied").increment(result.appliedEvents());
        meters.counter("labjournal.ingest.metric.points").increment(result.appliedPoints());
        rejections.forEach(r -> meters.counter("labjournal.ingest.dead.letters", "code", r.code())
                .increment());
        return publisher
                .sendAll(records)
                .onFailure()
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .indefinitely();
    }
}
