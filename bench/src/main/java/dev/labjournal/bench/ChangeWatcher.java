package dev.labjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Splits a probe's freshness in two: watches the run-changes topic (read by nobody else's group: partitions assigned,
 * from their end) and notes when ingest-service announced that a run of the tenant finished. Kafka acknowledgement
 * to that announcement is ingest's share; the announcement to searchable is query-service's and OpenSearch's.
 */
public final class ChangeWatcher implements AutoCloseable {

    private static final String TOPIC = "labjournal.run-changes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String keyPrefix;
    private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;

    /** Watches the runs of {@code tenant} whose id starts with {@code runIdPrefix} (run-changes are keyed by both). */
    public ChangeWatcher(String bootstrap, String tenant, String runIdPrefix) {
        this.keyPrefix = tenant + ":" + runIdPrefix;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "labjournal-bench-change-watcher");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(() -> watch(consumer), "change-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the watcher reads from the end of every partition, so no later announcement is missed. */
    public void awaitPositioned() throws InterruptedException {
        if (!positioned.await(30, TimeUnit.SECONDS)) {
            throw new BenchException(BenchException.TIMEOUT, "the run-changes watcher found no partitions in 30 s");
        }
    }

    /** When (System.nanoTime) the finish of this run was announced, or null when it was not (yet). */
    public Long finishedAt(String runId) {
        return finishedAt.get(runId);
    }

    private void watch(KafkaConsumer<String, byte[]> consumer) {
        try (consumer) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (record.key() == null || !record.key().startsWith(keyPrefix)) {
                        continue;
                    }
                    JsonNode change = JSON.readTree(record.value());
                    if (change.path("finished").asBoolean()) {
                        finishedAt.putIfAbsent(change.path("run_id").asText(), now);
                    }
                }
            }
        } catch (Exception e) {
            if (!stop.get()) {
                System.err.println("the run-changes watcher stopped: " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(5_000);
    }
}
