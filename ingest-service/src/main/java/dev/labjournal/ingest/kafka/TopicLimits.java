package dev.labjournal.ingest.kafka;

import dev.labjournal.ingest.config.IngestConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.jboss.logging.Logger;

/**
 * The largest record a topic takes, as the broker says ({@code max.message.bytes} of the topic, which a stock broker
 * sets to 1 MiB), and never more than our producer sends ({@link KafkaPublisher#MAX_REQUEST_BYTES}). Read from the
 * broker and kept for a few minutes; while the broker cannot be asked, the stock default is assumed.
 */
@ApplicationScoped
public class TopicLimits {

    private static final Logger LOG = Logger.getLogger(TopicLimits.class);
    /** Kafka's default {@code message.max.bytes}: 1 MiB plus the record batch overhead. */
    static final int STOCK_MAX_MESSAGE_BYTES = 1_048_588;

    private static final Duration KEPT_FOR = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;

    private record Known(int bytes, Instant until) {}

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public TopicLimits(IngestConfig config) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafkaBootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "labjournal-ingest-topic-limits",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()));
    }

    /** The largest record {@code topic} accepts, in bytes. */
    public Uni<Integer> maxRecordBytes(String topic) {
        Known cached = known.get(topic);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return Uni.createFrom().item(cached.bytes());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Uni.createFrom()
                .completionStage(
                        () -> admin.describeConfigs(List.of(resource)).all().toCompletionStage())
                .map(configs -> limitOf(configs.get(resource)))
                .invoke(bytes -> known.put(topic, new Known(bytes, Instant.now().plus(KEPT_FOR))))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("cannot read max.message.bytes of %s (%s); assuming Kafka's default", topic, e);
                    return Math.min(STOCK_MAX_MESSAGE_BYTES, KafkaPublisher.MAX_REQUEST_BYTES);
                });
    }

    private static int limitOf(Config config) {
        var entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        int broker = entry == null || entry.value() == null ? STOCK_MAX_MESSAGE_BYTES : Integer.parseInt(entry.value());
        return Math.min(broker, KafkaPublisher.MAX_REQUEST_BYTES);
    }

    @PreDestroy
    void close() {
        admin.close(TIMEOUT);
    }
}
