package dev.labjournal.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds the run-changes message that tells the query service a run's row changed (key tenant:run). */
public final class RunChanges {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunChanges() {}

    /** One message per run: the query service re-reads the run, so only the latest version matters. */
    public static List<ProducerRecord<String, byte[]>> of(Map<RunKey, Long> versions) {
        return versions.entrySet().stream()
                .map(e -> of(e.getKey(), e.getValue()))
                .toList();
    }

    static ProducerRecord<String, byte[]> of(RunKey run, long version) {
        try {
            byte[] value =
                    JSON.writeValueAsBytes(Map.of("tenant", run.tenant(), "run_id", run.runId(), "version", version));
            return new ProducerRecord<>(Topics.RUN_CHANGES, run.asKey(), value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and a number always serialises", e);
        }
    }
}
