package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Poison on {@code labjournal.run-changes}, the topic only ingest-service should write: records that are not run
 * changes (bytes that are not UTF-8, truncated JSON, an array, wrong types, deep nesting, a tombstone, 900 KB of text)
 * on the very partition of a real run's change, ahead of it, and readable changes that lie (a run that does not
 * exist; tenant B's run id announced under tenant A). query-service's two readers of the topic, the indexer and the
 * alert evaluator, must skip and count each unreadable record, keep the partition moving, index the real run and fire
 * its rule once, show nothing of B to A, and neither restart nor turn unready.
 */
class PoisonRunChangesIT {

    private static final String RUN_CHANGES = "labjournal.run-changes";
    private static final String UNREADABLE = "labjournal_query_run_changes_unreadable_total";

    @Test
    void unreadableAndLyingRunChangesAreSkippedAndTheRunBehindThemIsIndexedAndAlertedOnce() throws Exception {
        TestTenant a = TestTenant.create("poison-a");
        TestTenant b = TestTenant.create("poison-b");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String project = "poison-" + suffix;

        String secretWord = "bsecret" + suffix;
        String bRun = "b-run-" + suffix;
        publish(
                b,
                Events.started(b.id(), project, bRun, "B's run " + secretWord),
                failed(b, project, bRun, secretWord));
        Searching.awaitHit(b.readKey(), secretWord, bRun);

        String writer = a.issueKey("alerts").secret();
        String rule = AlertRules.create(
                        writer,
                        "{\"name\": \"failures of " + project + "\", \"project\": \"" + project + "\","
                                + " \"kind\": \"run_failed\", \"channels\": [{\"type\": \"sse\"}]}")
                .get("id")
                .asText();

        ServiceProcess before = ServiceProcess.query();
        String aRun = "a-run-" + suffix;
        String aKey = a.id() + ":" + aRun;
        List<byte[]> unreadable = List.of(
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2},
                utf8("{\"tenant\": \"" + a.id() + "\", \"run_id\": "),
                utf8("[1, 2, 3]"),
                utf8("{\"tenant\": \"" + a.id() + "\", \"run_id\": \"" + aRun + "\", \"version\": \"one\"}"),
                utf8("[".repeat(100_000)),
                utf8("x".repeat(900_000)));
        List<ProducerRecord<String, byte[]>> poison = new ArrayList<>();
        unreadable.forEach(value -> poison.add(new ProducerRecord<>(RUN_CHANGES, aKey, value)));
        poison.add(new ProducerRecord<>(RUN_CHANGES, aKey, null));
        int unreadableCount = poison.size();
        poison.add(new ProducerRecord<>(
                RUN_CHANGES,
                a.id() + ":ghost-" + suffix,
                utf8("{\"tenant\": \"" + a.id() + "\", \"run_id\": \"ghost-" + suffix + "\", \"version\": 1}")));
        poison.add(new ProducerRecord<>(
                RUN_CHANGES,
                a.id() + ":" + bRun,
                utf8("{\"tenant\": \"" + a.id() + "\", \"run_id\": \"" + bRun + "\", \"version\": 9,"
                        + " \"status\": \"failed\", \"finished\": true, \"failed\": true, \"metrics\": [],"
                        + " \"tags\": {}, \"params\": {}}")));
        produce(poison);

        String word = "areal" + suffix;
        publish(a, Events.started(a.id(), project, aRun, "A's run " + word), failed(a, project, aRun, word));

        Searching.awaitHit(a.readKey(), word, aRun);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ConsumerLag.of(ConsumerLag.INDEXER_GROUP, RUN_CHANGES) == 0
                        && ConsumerLag.of(ConsumerLag.ALERTS_GROUP, RUN_CHANGES) == 0);

        assertThat(StoredAlerts.ofRule(a.id(), rule))
                .as("A's rule fired for A's failed run only, not for B's run announced under A's name")
                .extracting(alert -> alert.get("run_id").asText())
                .containsExactly(aRun);
        assertThat(Searching.search(a.readKey(), secretWord).body().get("runs"))
                .as("A finds nothing of B's run")
                .isEmpty();
        assertThat(Runs.get(a.readKey(), bRun).status()).isEqualTo(404);
        assertThat(Runs.get(a.readKey(), "ghost-" + suffix).status()).isEqualTo(404);

        ServiceProcess after = ServiceProcess.query();
        assertThat(after.ready()).as("query-service ready").isTrue();
        assertThat(after.startTime()).as("query-service did not restart").isEqualTo(before.startTime());
        for (String consumer : List.of("indexer", "alerts")) {
            assertThat(after.counter(UNREADABLE, "consumer", consumer)
                            - before.counter(UNREADABLE, "consumer", consumer))
                    .as("unreadable records counted by the %s", consumer)
                    .isEqualTo(unreadableCount);
        }
    }

    private static ObjectNode failed(TestTenant tenant, String project, String runId, String word) {
        ObjectNode failed = Events.failed(
                tenant.id(),
                project,
                runId,
                "RuntimeError",
                "RuntimeError: " + word + "\n  at train.step(train.py:42)");
        ((ObjectNode) failed.get("data").get("failure")).put("message", word + " went wrong");
        return failed;
    }

    private static void publish(TestTenant tenant, ObjectNode... events) throws Exception {
        Platform.Reply reply = Events.postBatch(tenant.ingestKey(), events);
        assertThat(reply.status()).as("ingest: %s", reply.body()).isEqualTo(202);
    }

    private static void produce(List<ProducerRecord<String, byte[]>> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
