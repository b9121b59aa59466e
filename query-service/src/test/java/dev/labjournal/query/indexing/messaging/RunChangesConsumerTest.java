package dev.labjournal.query.indexing.messaging;

import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import dev.labjournal.query.indexing.service.IndexingService;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RunChangesConsumerTest {

    private static final String TOPIC = "labjournal.run-changes";

    @Test
    void readsTheContractAndSkipsWhatIsNotARunChangesMessage() {
        IndexingService indexing = mock(IndexingService.class);
        when(indexing.reindex(anyList())).thenReturn(Uni.createFrom().voidItem());
        byte[] full = RunChangeCodec.toJson(new RunChange(
                "acme", "run-1", 3, "failed", true, true, List.of(), Map.of("model", "resnet50"), Map.of()));
        byte[] reannounced = RunChangeCodec.toJson(new RunChange("acme", "run-2", 7));
        byte[] again = RunChangeCodec.toJson(new RunChange("acme", "run-1", 4));
        byte[] newerMember = "{\"tenant\":\"beta\",\"run_id\":\"run-1\",\"version\":1,\"added_later\":{\"x\":1}}"
                .getBytes(StandardCharsets.UTF_8);

        new RunChangesConsumer(indexing, new SimpleMeterRegistry())
                .consume(records(
                        full,
                        "{not json".getBytes(StandardCharsets.UTF_8),
                        reannounced,
                        "{\"tenant\":\"acme\",\"run_id\":\"run-3\"}".getBytes(StandardCharsets.UTF_8),
                        null,
                        again,
                        newerMember))
                .await()
                .atMost(Duration.ofSeconds(5));

        // Once per run, in order of first mention; the message without a version, the malformed one and the
        // tombstone are skipped.
        verify(indexing)
                .reindex(
                        List.of(new RunRef("acme", "run-1"), new RunRef("acme", "run-2"), new RunRef("beta", "run-1")));
        verifyNoMoreInteractions(indexing);
    }

    private static ConsumerRecords<String, byte[]> records(byte[]... values) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new ConsumerRecord<>(TOPIC, 0, i, "key-" + i, values[i]));
        }
        return new ConsumerRecords<>(Map.of(partition, records), Map.of());
    }
}
