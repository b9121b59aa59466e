package dev.labjournal.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the dead-letter topic from the position it had when this reader was opened. */
final class DeadLetterTopic implements AutoCloseable {

    static final String TOPIC = "labjournal.run-events.dlq";

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DeadLetter> seen = new ArrayList<>();

    /** A dead-lettered record: its key, original bytes and error headers. */
    record DeadLetter(String key, String value, Map<String, String> headers) {}

    DeadLetterTopic() {
        this(TOPIC);
    }

    /** Reads the dead letters written to {@code topic} from now on. */
    DeadLetterTopic(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Everything dead-lettered since this reader was opened, polled afresh. */
    List<DeadLetter> all() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            Map<String, String> headers = new java.util.HashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            seen.add(new DeadLetter(
                    record.key(),
                    record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8),
                    headers));
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
