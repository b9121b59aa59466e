package dev.labjournal.ingest.kafka;

import dev.labjournal.ingest.config.IngestConfig;
import dev.labjournal.schemas.Limits;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** One idempotent producer (acks=all) for everything the ingest service writes to Kafka; sends complete on ack. */
@ApplicationScoped
public class KafkaPublisher {

    /** The largest request the producer sends: twice the largest valid event, so that dead letters of a little more fit. */
    public static final int MAX_REQUEST_BYTES = 2 * Limits.MAX_EVENT_BYTES;

    private final KafkaProducer<String, byte[]> producer;

    public KafkaPublisher(IngestConfig config) {
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        MAX_REQUEST_BYTES,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        10_000,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "labjournal-ingest"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    public Uni<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        return Uni.createFrom()
                .emitter(emitter -> producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        emitter.fail(error);
                    } else {
                        emitter.complete(metadata);
                    }
                }));
    }

    /**
     * Sends all records and completes when every one is acknowledged. The sends start on a worker thread: while the
     * broker is away, {@code send} blocks for metadata (up to {@code max.block.ms}), which must never stall an event
     * loop (it also serves the health checks and the other consumer).
     */
    public Uni<Void> sendAll(List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(records.stream().map(this::send).toList())
                .andFailFast()
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .replaceWithVoid();
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
