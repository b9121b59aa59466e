package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No event can stop its partition. An ingest-service of the test's own, with fault injection, reads a topic of its
 * own and dead-letters to a topic of its own that has a stock broker's 1 MiB record limit:
 *
 * <ul>
 *   <li>an event that fails with a programming error moves to the dead-letter topic as {@code internal_error}, with
 *       its original bytes, key and the first lines of the stack trace, and the events after it land;
 *   <li>an event too large even for that dead-letter topic is dead-lettered cut to the topic's real limit, and the
 *       events after it land;
 *   <li>an event whose storage fails for the infrastructure is retried, never dead-lettered, and once it has made no
 *       progress for the configured time the service is unready and says which partition stalls.
 * </ul>
 */
class FailureIsolationIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "labjournal.failure-isolation-it-" + RUN;
    private static final String DLQ = SOURCE + ".dlq";
    private static final String STALL_SOURCE = SOURCE + "-stall";
    private static final String STALL_DLQ = STALL_SOURCE + ".dlq";
    /** What a stock broker takes by default ({@code message.max.bytes}). */
    private static final int STOCK_LIMIT = 1_048_588;

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String PROJECT = "isolation";

    private static ExtraIngest ingest;
    private static KafkaProducer<String, String> producer;
    private static TestTenant tenant;

    @BeforeAll
    static void anIngestServiceWithFaultsOfItsOwn() throws Exception {
        Platform.ensureUp();
        tenant = TestTenant.create("isolation");
        ExtraIngest.createTopic(SOURCE, Map.of("max.message.bytes", String.valueOf(3 * 1024 * 1024)));
        ExtraIngest.createTopic(DLQ, Map.of("max.message.bytes", String.valueOf(STOCK_LIMIT)));
        ingest = ExtraIngest.start(
                "failure-isolation-it",
                SOURCE,
                List.of(
                        "-Dlabjournal.ingest.dead-letter-topic=" + DLQ,
                        "-Dlabjournal.ingest.faults.fail-event-ids=poison-.*",
                        "-Dlabjournal.ingest.retry-initial-backoff=50ms",
                        "-Dlabjournal.ingest.retry-max-backoff=200ms"));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3 * 1024 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        ExtraIngest.deleteTopics(List.of(SOURCE, DLQ, STALL_SOURCE, STALL_DLQ));
    }

    @Test
    void aProgrammingErrorOnOneEventDeadLettersItAndTheEventsAfterItLand() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        ObjectNode poison = Events.note(tenant.id(), PROJECT, runId, "this note meets a bug");
        poison.put("id", "poison-" + UUID.randomUUID());
        try (DeadLetterTopic deadLetters = new DeadLetterTopic(DLQ)) {
            publish(
                    SOURCE,
                    Events.started(tenant.id(), PROJECT, runId, "before the poison"),
                    poison,
                    Events.note(tenant.id(), PROJECT, runId, "after the poison"),
                    Events.started(tenant.id(), PROJECT, after, "another run after it"));

            await("the poison event in the dead-letter topic")
                    .atMost(BOUND)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !deadLetters.all().isEmpty());
            DeadLetterTopic.DeadLetter letter = deadLetters.all().get(0);
            assertThat(letter.key()).isEqualTo(runId);
            assertThat(letter.value()).as("the original bytes").isEqualTo(poison.toString());
            assertThat(letter.headers())
                    .containsEntry("lj-error-code", "internal_error")
                    .containsEntry("lj-source-topic", SOURCE);
            assertThat(letter.headers().get("lj-error-trace"))
                    .startsWith("java.lang.IllegalStateException: injected programming error storing "
                            + poison.get("id").asText())
                    .contains("\n\tat ");
        }
        await("the events after the poison land")
                .atMost(BOUND)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(notes(runId)).containsExactly("after the poison"));
        assertThat(runExists(after)).as("the run published after the poison").isTrue();
        String metrics = ingest.metrics();
        assertThat(counter(metrics, "labjournal_ingest_dead_letters_total", "code=\"internal_error\""))
                .isEqualTo(1);
        assertThat(counter(metrics, "labjournal_ingest_batch_failures_total", "kind=\"internal\""))
                .as("retries of the batch and of the event alone")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aDeadLetterTooLargeForTheDeadLetterTopicIsCutToItsRealLimit() throws Exception {
        String runId = "run-" + UUID.randomUUID();
        String huge =
                Events.note(tenant.id(), PROJECT, runId, "x".repeat(1_500_000)).toString();
        try (DeadLetterTopic deadLetters = new DeadLetterTopic(DLQ)) {
            producer.send(new ProducerRecord<>(SOURCE, runId, huge)).get(30, TimeUnit.SECONDS);
            publish(SOURCE, Events.started(tenant.id(), PROJECT, runId, "after the huge event"));

            await("the huge event in the dead-letter topic")
                    .atMost(BOUND)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !deadLetters.all().isEmpty());
            DeadLetterTopic.DeadLetter letter = deadLetters.all().get(0);
            assertThat(letter.headers())
                    .containsEntry("lj-error-code", "too_large")
                    .containsEntry("lj-truncated-from-bytes", String.valueOf(huge.length()));
            int kept = letter.value().getBytes(StandardCharsets.UTF_8).length;
            assertThat(kept).isLessThan(STOCK_LIMIT).isGreaterThan(STOCK_LIMIT - 4096);
            assertThat(huge).startsWith(letter.value());
        }
        await("the event after the huge one lands")
                .atMost(BOUND)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> runExists(runId));
    }

    @Test
    void anInfrastructureFailureIsRetriedAndAStalledPartitionMakesTheServiceUnready() throws Exception {
        ExtraIngest.createTopic(STALL_SOURCE, Map.of());
        ExtraIngest.createTopic(STALL_DLQ, Map.of());
        String runId = "run-" + UUID.randomUUID();
        try (ExtraIngest stalling = ExtraIngest.start(
                        "failure-isolation-stall-it",
                        STALL_SOURCE,
                        List.of(
                                "-Dlabjournal.ingest.dead-letter-topic=" + STALL_DLQ,
                                "-Dlabjournal.ingest.faults.fail-event-ids=stall-.*",
                                "-Dlabjournal.ingest.faults.kind=infrastructure",
                                "-Dlabjournal.ingest.stall-after=3s",
                                "-Dlabjournal.ingest.retry-initial-backoff=50ms",
                                "-Dlabjournal.ingest.retry-max-backoff=500ms"));
                DeadLetterTopic deadLetters = new DeadLetterTopic(STALL_DLQ)) {
            assertThat(stalling.readiness()).as("ready before the stall").isEqualTo(200);
            ObjectNode stuck = Events.started(tenant.id(), PROJECT, runId, "its database is away");
            stuck.put("id", "stall-" + UUID.randomUUID());
            publish(STALL_SOURCE, stuck);

            await("unready while the partition makes no progress")
                    .atMost(BOUND)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> stalling.readiness() == 503);
            JsonNode health = stalling.get("/q/health/ready").body();
            JsonNode progress = check(health, "consumer-progress");
            assertThat(progress.get("status").asText()).isEqualTo("DOWN");
            assertThat(progress.get("data").has(STALL_SOURCE + "-0"))
                    .as("the stalled partition is named: %s", progress)
                    .isTrue();
            String metrics = stalling.metrics();
            assertThat(gauge(metrics, "labjournal_ingest_stalled_batches")).isEqualTo(1.0);
            assertThat(counter(metrics, "labjournal_ingest_stalls_total", "")).isEqualTo(1);
            assertThat(counter(metrics, "labjournal_ingest_batch_failures_total", "kind=\"infrastructure\""))
                    .isGreaterThan(1);
            assertThat(deadLetters.all())
                    .as("an infrastructure failure is never dead-lettered")
                    .isEmpty();
            assertThat(runExists(runId))
                    .as("nothing of the stuck batch is stored")
                    .isFalse();
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private static void publish(String topic, ObjectNode... events) throws Exception {
        for (ObjectNode event : events) {
            producer.send(new ProducerRecord<>(topic, event.get("subject").asText(), event.toString()))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> notes(String runId) throws Exception {
        try (Connection conn = Database.connect();
                PreparedStatement st = conn.prepareStatement(
                        "SELECT text FROM run_notes WHERE tenant_id = ? AND run_id = ? ORDER BY time")) {
            st.setString(1, tenant.id());
            st.setString(2, runId);
            try (ResultSet rs = st.executeQuery()) {
                List<String> texts = new ArrayList<>();
                while (rs.next()) {
                    texts.add(rs.getString(1));
                }
                return texts;
            }
        }
    }

    private static boolean runExists(String runId) throws Exception {
        try (Connection conn = Database.connect();
                PreparedStatement st =
                        conn.prepareStatement("SELECT count(*) FROM runs WHERE tenant_id = ? AND run_id = ?")) {
            st.setString(1, tenant.id());
            st.setString(2, runId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    /** A counter's value with the given label text (empty: the counter has no labels to match). */
    private static long counter(String metrics, String name, String label) {
        String labels = label.isEmpty() ? "(?:\\{[^}]*})?" : "\\{[^}]*" + Pattern.quote(label) + "[^}]*}";
        Matcher m = Pattern.compile("(?m)^" + name + labels + " (\\S+)$").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private static double gauge(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
