package dev.labjournal.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/** The Kafka side: producing the load, scratch topics, and the ingest consumer group's lag. */
final class Kafka implements AutoCloseable {

    private final Options options;
    private final Admin admin;

    private Kafka(Options options, Admin admin) {
        this.options = options;
        this.admin = admin;
    }

    /** Connects and checks that the broker answers and the run events topic exists. */
    static Kafka connect(Options options) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        Admin admin = Admin.create(props);
        try {
            admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            admin.close();
            throw new BenchException(
                    BenchException.UNREACHABLE,
                    "Kafka is not reachable at " + options.bootstrap()
                            + " (is the platform up? deploy/local/labjournal status): " + e,
                    e);
        }
        return new Kafka(options, admin);
    }

    int partitions(String topic) {
        try {
            TopicDescription description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().size();
        } catch (InterruptedException | ExecutionException e) {
            throw new BenchException(
                    BenchException.UNREACHABLE, "the topic " + topic + " cannot be described: " + e, e);
        }
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("  warning: could not delete the scratch topic " + topic + ": " + e);
        }
    }

    /** Records of the topic not yet committed by the ingest consumer group. */
    long ingestLag() throws Exception {
        String topic = options.topic();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(options.group())
                .partitionsToOffsetAndMetadata()
                .get(15, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < partitions(topic); p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts =
                admin.listOffsets(earliest).all().get(15, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long from = at != null ? at.offset() : starts.get(end.getKey()).offset();
            lag += Math.max(0, end.getValue().offset() - from);
        }
        return lag;
    }

    KafkaProducer<byte[], byte[]> producer(String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, options.batchSize());
        props.put(ProducerConfig.LINGER_MS_CONFIG, options.lingerMs());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.compression());
        // Room for several full batches per request and for the whole load in the buffer: send() never blocks.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(8 << 20, 4 * options.batchSize()));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 512L << 20);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** What a produce took: when the first send started and when the last acknowledgement came, in nanoTime. */
    record Produced(long startNanos, long endNanos, long records, long bytes) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    /**
     * Sends every event, keyed by run id, and waits for all acknowledgements (acks=all). The producer's metadata
     * for the topic must already be loaded (see {@link #warm}) so that the clock measures sending only.
     */
    static Produced produce(KafkaProducer<byte[], byte[]> producer, String topic, List<Workload.Event> events) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long bytes = 0;
        long start = System.nanoTime();
        for (Workload.Event event : events) {
            bytes += event.key().length + event.value().length;
            producer.send(new ProducerRecord<>(topic, event.key(), event.value()), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
        }
        producer.flush();
        long end = System.nanoTime();
        if (failure.get() != null) {
            throw new BenchException(
                    BenchException.UNREACHABLE,
                    "producing to " + topic + " failed (" + acked.get() + " of " + events.size() + " acknowledged): "
                            + failure.get(),
                    failure.get());
        }
        return new Produced(start, end, events.size(), bytes);
    }

    /** Loads the topic's metadata into the producer, so that the first send does not wait for it. */
    static void warm(KafkaProducer<byte[], byte[]> producer, String topic) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                var partitions = producer.partitionsFor(topic);
                if (!partitions.isEmpty() && partitions.stream().allMatch(p -> p.leader() != null)) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException(
                            BenchException.UNREACHABLE, "no metadata for the topic " + topic + ": " + e, e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException(BenchException.UNREACHABLE, "the topic " + topic + " has no leaders");
            }
            sleep(100);
        }
    }

    /** How many of the keys land on each partition (the default partitioner: murmur2 of the key). */
    static List<Integer> keysPerPartition(int partitions, Set<String> keys) {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            counts.add(0);
        }
        for (String key : keys) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            int p = Utils.toPositive(Utils.murmur2(bytes)) % partitions;
            counts.set(p, counts.get(p) + 1);
        }
        return counts;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(1, "interrupted");
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
