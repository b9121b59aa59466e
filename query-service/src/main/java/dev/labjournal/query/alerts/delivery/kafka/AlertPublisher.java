package dev.labjournal.query.alerts.delivery.kafka;

import dev.labjournal.query.alerts.delivery.DeliveryConfig;
import dev.labjournal.query.alerts.delivery.service.Attempt;
import dev.labjournal.schemas.Topics;
import dev.labjournal.schemas.alerts.AlertEvents;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes fired alerts on {@value Topics#ALERTS} with one idempotent producer (acks=all): an attempt succeeds when
 * the broker acknowledged the record, within {@code labjournal.alerts.delivery.kafka-timeout}.
 */
@ApplicationScoped
public class AlertPublisher {

    private static final Logger LOG = Logger.getLogger(AlertPublisher.class);

    private final KafkaProducer<String, byte[]> producer;

    public AlertPublisher(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, DeliveryConfig config) {
        int timeoutMs = (int) config.kafkaTimeout().toMillis();
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        timeoutMs,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        timeoutMs,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        timeoutMs,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "labjournal-query-alerts"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * Made at start, not at the first alert, with the topic's metadata fetched on a worker thread: otherwise the first
     * alert after a start waits for the producer's id and the metadata (most of a second on a busy machine).
     */
    void warmUp(@Observes StartupEvent event) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                producer.partitionsFor(Topics.ALERTS);
            } catch (RuntimeException e) {
                LOG.warnf("no metadata of %s yet (the first alert fetches it): %s", Topics.ALERTS, e.getMessage());
            }
        });
    }

    /**
     * One attempt; never fails: an unacknowledged send is an attempt with an error. The send starts on a worker
     * thread, since it blocks for metadata while the broker is away.
     */
    public Uni<Attempt> publish(String tenant, String ruleId, String runId, JsonObject document) {
        Instant started = Instant.now();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.ALERTS,
                runId,
                AlertCloudEvents.of(tenant, ruleId, runId, document).encode().getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", AlertEvents.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return Uni.createFrom()
                .<Attempt>emitter(emitter -> producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        emitter.complete(Attempt.unanswered(started, "Kafka: " + error.getMessage()));
                    } else {
                        emitter.complete(Attempt.acknowledged(started));
                    }
                }))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure()
                .recoverWithItem(e -> Attempt.unanswered(started, "Kafka: " + e.getMessage()));
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
