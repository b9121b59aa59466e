package dev.labjournal.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Straight to the run-events topic: structured-mode records keyed by the run id (what ingest requires, so that a
 * run's events stay in order), from an idempotent producer that waits for every in-sync replica.
 */
final class KafkaTransport implements Transport {

    private static final byte[] CONTENT_TYPE =
            "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    KafkaTransport(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "labjournal-java-client");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void send(List<Outgoing> events) throws DeliveryException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        try {
            for (Outgoing event : events) {
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(topic, null, event.runId(), event.json(), null);
                record.headers().add(new RecordHeader("content-type", CONTENT_TYPE));
                acks.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(DeliveryException.Kind.RETRYABLE, "interrupted producing to " + topic, e);
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    private DeliveryException failure(Throwable cause) {
        DeliveryException.Kind kind = cause instanceof RecordTooLargeException
                ? DeliveryException.Kind.REFUSED_EVENTS
                : cause instanceof AuthorizationException || cause instanceof AuthenticationException
                        ? DeliveryException.Kind.REFUSED_CLIENT
                        : DeliveryException.Kind.RETRYABLE;
        return new DeliveryException(kind, "producing to " + topic + " failed: " + cause, cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
