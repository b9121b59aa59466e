package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Poison events go to the dead-letter topic with a reason; the events after them are still ingested. */
class DeadLetterIT {

    @Test
    void malformedAndSchemaViolatingEventsAreDeadLetteredAndLaterEventsStillLand() throws Exception {
        TestTenant tenant = TestTenant.create("dlq");
        String runId = "poisoned-" + UUID.randomUUID();
        ObjectNode violating = Events.metrics(tenant.id(), "asr", runId, 0, 3);
        ((ObjectNode) violating.get("data").get("metrics").get(2)).put("value", "nan");
        ObjectNode unknownTenant = Events.note(
                "no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8), "asr", runId, "from nowhere");
        String marker =
                "survivor" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

        try (DeadLetterTopic dlq = new DeadLetterTopic()) {
            Kcat.produce(
                    "labjournal.run-events",
                    List.of(
                            new Kcat.KeyedLine(runId, "{\"specversion\": \"1.0\", \"id\": "),
                            new Kcat.KeyedLine(runId, violating.toString()),
                            new Kcat.KeyedLine(runId, unknownTenant.toString()),
                            new Kcat.KeyedLine(
                                    runId,
                                    Events.note(tenant.id(), "asr", runId, marker)
                                            .toString())));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlq.all().stream()
                                    .filter(d -> runId.equals(d.key()))
                                    .count()
                            >= 3);
            List<DeadLetterTopic.DeadLetter> ours =
                    dlq.all().stream().filter(d -> runId.equals(d.key())).toList();
            assertThat(ours).hasSize(3);
            assertThat(ours.get(0).headers()).containsEntry("lj-error-code", "malformed_json");
            assertThat(ours.get(0).headers().get("lj-error-reason")).isNotBlank();
            assertThat(ours.get(0).value()).isEqualTo("{\"specversion\": \"1.0\", \"id\": ");
            assertThat(ours.get(1).headers())
                    .containsEntry("lj-error-code", "schema_violation")
                    .containsEntry("lj-error-path", "$.data.metrics[2].value");
            assertThat(ours.get(1).headers()).containsEntry("lj-source-topic", "labjournal.run-events");
            assertThat(ours.get(2).headers()).containsEntry("lj-error-code", "unknown_tenant");
        }

        Searching.awaitHit(tenant.readKey(), marker, runId);
        Platform.Reply run = Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, tenant.readKey());
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body().get("notes").get(0).get("text").asText()).isEqualTo(marker);
        assertThat(run.body().get("metrics"))
                .as("no point of the refused metrics event")
                .isEmpty();
    }

    /**
     * A dead letter can be replayed as it came: a binary-mode event keeps its {@code ce_*} headers and its key; an
     * event keyed other than by its run id is refused ({@code key_mismatch}) rather than split from its run's order.
     */
    @Test
    void deadLettersKeepHeadersAndKeyAndAWronglyKeyedEventIsRefused() throws Exception {
        TestTenant tenant = TestTenant.create("dlq-replay");
        String runId = "binary-" + UUID.randomUUID();
        String eventId = "binary-note-" + UUID.randomUUID();
        ObjectNode misKeyed = Events.note(tenant.id(), "asr", runId, "keyed by something else");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        try (DeadLetterTopic dlq = new DeadLetterTopic();
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> binary = new ProducerRecord<>(
                    "labjournal.run-events",
                    runId,
                    "{\"kind\": \"rumour\", \"text\": \"a note of a kind we do not have\"}");
            Map.of(
                            "ce_specversion",
                            "1.0",
                            "ce_id",
                            eventId,
                            "ce_source",
                            "/tenants/" + tenant.id() + "/projects/asr",
                            "ce_type",
                            "dev.labjournal.run.note.v1",
                            "ce_subject",
                            runId,
                            "ce_time",
                            Instant.now().toString(),
                            "ce_tenant",
                            tenant.id(),
                            "content-type",
                            "application/json")
                    .forEach((k, v) -> binary.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(binary).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>("labjournal.run-events", "not-" + runId, misKeyed.toString()))
                    .get(30, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlq.all().stream()
                                    .filter(d -> d.key() != null && d.key().endsWith(runId))
                                    .count()
                            >= 2);
            List<DeadLetterTopic.DeadLetter> ours = dlq.all().stream()
                    .filter(d -> d.key() != null && d.key().endsWith(runId))
                    .toList();
            assertThat(ours).hasSize(2);
            // Two keys, so two partitions: the dead letters are found by key, not by their order.
            DeadLetterTopic.DeadLetter replayable = byKey(ours, runId);
            assertThat(replayable.value()).isEqualTo(binary.value());
            assertThat(replayable.headers())
                    .containsEntry("lj-error-code", "schema_violation")
                    .containsEntry("lj-error-path", "$.data.kind")
                    .containsEntry("ce_id", eventId)
                    .containsEntry("ce_type", "dev.labjournal.run.note.v1")
                    .containsEntry("ce_subject", runId)
                    .containsEntry("ce_tenant", tenant.id());
            DeadLetterTopic.DeadLetter wronglyKeyed = byKey(ours, "not-" + runId);
            assertThat(wronglyKeyed.headers())
                    .containsEntry("lj-error-code", "key_mismatch")
                    .containsEntry("lj-error-path", "$.subject");
            assertThat(wronglyKeyed.headers().get("lj-error-reason"))
                    .contains("'not-" + runId + "'")
                    .contains("'" + runId + "'");
        }
        Platform.Reply run = Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, tenant.readKey());
        assertThat(run.status()).as("nothing of either event is stored").isEqualTo(404);
    }

    private static DeadLetterTopic.DeadLetter byKey(List<DeadLetterTopic.DeadLetter> letters, String key) {
        List<DeadLetterTopic.DeadLetter> found =
                letters.stream().filter(d -> key.equals(d.key())).toList();
        assertThat(found).as("dead letters keyed %s", key).hasSize(1);
        return found.get(0);
    }
}
