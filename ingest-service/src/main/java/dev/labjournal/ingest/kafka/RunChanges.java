package dev.labjournal.ingest.kafka;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.Topics;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * The run-changes messages that tell the query service what a committed batch changed: {@link RunChange}s written
 * by {@link RunChangeCodec} (the contract {@code run-changes.v1.json}), keyed {@code tenant:runId} on
 * {@value Topics#RUN_CHANGES}.
 */
public final class RunChanges {

    /**
     * The largest message sent with what changed. Everything after the version is optional (a consumer that needs more
     * re-reads the run from PostgreSQL), so a larger change (thousands of metric keys or params in one batch) is sent
     * with its status and finish only, well within the broker's default limit of 1 MiB per message.
     */
    static final int MAX_MESSAGE_BYTES = 512 * 1024;

    private static final Logger LOG = Logger.getLogger(RunChanges.class);

    private RunChanges() {}

    /** One message per run of a batch. */
    public static List<ProducerRecord<String, byte[]>> of(Collection<RunChange> changes) {
        return changes.stream().map(RunChanges::of).toList();
    }

    /** Re-announcements: each run is at its version, and nothing is said about what changed. */
    public static List<ProducerRecord<String, byte[]>> reannouncements(Map<RunKey, Long> versions) {
        return versions.entrySet().stream()
                .map(e -> of(new RunChange(e.getKey().tenant(), e.getKey().runId(), e.getValue())))
                .toList();
    }

    static ProducerRecord<String, byte[]> of(RunChange change) {
        return new ProducerRecord<>(Topics.RUN_CHANGES, RunChangeCodec.key(change), value(change));
    }

    private static byte[] value(RunChange change) {
        byte[] json;
        try {
            json = RunChangeCodec.toJson(change);
        } catch (IllegalArgumentException e) {
            // Cannot happen for data that passed the event schemas; if it does, the run must still reach the index.
            LOG.errorf("%s; announcing the run at its version only", e.getMessage());
            return RunChangeCodec.toJson(new RunChange(change.tenant(), change.runId(), change.version()));
        }
        if (json.length <= MAX_MESSAGE_BYTES) {
            return json;
        }
        return RunChangeCodec.toJson(new RunChange(
                change.tenant(),
                change.runId(),
                change.version(),
                change.status(),
                change.finished(),
                change.failed(),
                List.of(),
                Map.of(),
                Map.of()));
    }
}
