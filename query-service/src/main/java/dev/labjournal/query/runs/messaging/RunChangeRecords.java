package dev.labjournal.query.runs.messaging;

import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * The readable run changes of one poll of {@code labjournal.run-changes}, in record order, and when the oldest record
 * was published. An unreadable record is logged, counted and skipped: it cannot become readable by waiting.
 */
public record RunChangeRecords(List<RunChange> changes, long oldestPublished) {

    private static final Logger LOG = Logger.getLogger(RunChangeRecords.class);

    /**
     * The counter of a consumer's unreadable records, {@code labjournal.query.run_changes.unreadable} tagged with the
     * consumer ({@code indexer}, {@code alerts}).
     */
    public static Counter unreadableCounter(MeterRegistry registry, String consumer) {
        return Counter.builder("labjournal.query.run_changes.unreadable")
                .description("Run-changes records skipped because they could not be read as a run change")
                .tag("consumer", consumer)
                .register(registry);
    }

    public static RunChangeRecords read(ConsumerRecords<String, byte[]> records, Counter unreadable) {
        List<RunChange> changes = new ArrayList<>(records.count());
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> record : records) {
            oldest = Math.min(oldest, record.timestamp());
            try {
                changes.add(RunChangeCodec.fromJson(record.value()));
            } catch (RuntimeException e) {
                unreadable.increment();
                LOG.errorf(
                        "skipping an unreadable run-changes message at %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        return new RunChangeRecords(changes, oldest);
    }
}
