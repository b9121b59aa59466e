package dev.labjournal.query.runs.messaging;

import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * The readable run changes of one poll of {@code labjournal.run-changes}, in record order, and when the oldest record
 * was published. An unreadable record is logged and skipped: it cannot become readable by waiting.
 */
public record RunChangeRecords(List<RunChange> changes, long oldestPublished) {

    private static final Logger LOG = Logger.getLogger(RunChangeRecords.class);

    public static RunChangeRecords read(ConsumerRecords<String, byte[]> records) {
        List<RunChange> changes = new ArrayList<>(records.count());
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> record : records) {
            oldest = Math.min(oldest, record.timestamp());
            try {
                changes.add(RunChangeCodec.fromJson(record.value()));
            } catch (RuntimeException e) {
                LOG.errorf(
                        "skipping an unreadable run-changes message at %s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
        return new RunChangeRecords(changes, oldest);
    }
}
