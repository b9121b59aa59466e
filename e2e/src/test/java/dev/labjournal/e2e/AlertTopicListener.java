package dev.labjournal.e2e;

import dev.labjournal.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of {@code labjournal.alerts} on a thread of its own, positioned at the end of every partition before
 * {@link #start} returns, that records each record with the time it was read (for latencies).
 */
final class AlertTopicListener implements AutoCloseable {

    /** A record read, and when. */
    record Read(ConsumerRecord<String, byte[]> record, Instant at) {}

    private final ConcurrentLinkedQueue<Read> read = new ConcurrentLinkedQueue<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread = new Thread(this::consume, "alerts-topic-listener");
    private volatile boolean running = true;

    private AlertTopicListener() {}

    /** A listener that reads every record published after this call returns. */
    static AlertTopicListener start() throws InterruptedException {
        AlertTopicListener listener = new AlertTopicListener();
        listener.thread.setDaemon(true);
        listener.thread.start();
        if (!listener.positioned.await(30, TimeUnit.SECONDS)) {
            listener.close();
            throw new AssertionError("the consumer of " + Topics.ALERTS + " was not positioned within 30 s");
        }
        return listener;
    }

    /** The records read so far whose key is {@code key} (alerts are keyed by run id). */
    List<Read> keyed(String key) {
        List<Read> found = new ArrayList<>();
        read.forEach(r -> {
            if (key.equals(r.record().key())) {
                found.add(r);
            }
        });
        return found;
    }

    private void consume() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    read.add(new Read(record, Instant.now()));
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
