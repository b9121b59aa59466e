package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.labjournal.e2e.HostileCorpus.Entry;
import dev.labjournal.e2e.HostileCorpus.Hostile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * A corpus of hostile events ({@link HostileCorpus}: malformed JSON, wrong types, missing fields, unknown types,
 * over-limit sizes, deep nesting, NUL and control characters, invalid UTF-8, NaN in the wrong places, wrong tenants,
 * broken binary-mode headers, param conflicts) published straight to Kafka between valid events of the same and other
 * runs. Each hostile event must reach the dead-letter topic exactly once with a code, path and reason that names the
 * problem; every valid event must be stored; ingest-service must stay ready and must not restart.
 */
class HostileEventsIT {

    private static final String RUN_EVENTS = "labjournal.run-events";
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(150);

    /** Where a published record landed; dead letters name it in their {@code lj-source-*} headers. */
    record Position(int partition, long offset) {}

    @Test
    void hostileEventsAreDeadLetteredOnceWithTheirReasonAndTheValidEventsAroundThemAreStored() throws Exception {
        TestTenant tenant = TestTenant.create("hostile");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> hostileRuns = List.of("hostile-a-" + suffix, "hostile-b-" + suffix, "hostile-c-" + suffix);
        List<String> otherRuns = List.of("neighbour-d-" + suffix, "neighbour-e-" + suffix);
        HostileCorpus corpus = HostileCorpus.generate(tenant.id(), hostileRuns, otherRuns);
        assertThat(corpus.hostile()).hasSizeGreaterThanOrEqualTo(100);
        ServiceProcess before = ServiceProcess.ingest();

        try (DeadLetterTopic dlq = new DeadLetterTopic()) {
            Map<Position, Entry> published = publish(corpus.entries());
            Map<Position, Hostile> hostile = new LinkedHashMap<>();
            published.forEach((position, entry) -> {
                if (entry instanceof Hostile h) {
                    hostile.put(position, h);
                }
            });

            // No exception on timeout: the soft assertions below then name every case still missing.
            long deadline = System.nanoTime() + DEAD_LETTER_TIMEOUT.toNanos();
            while (!positionsOf(ourDeadLetters(dlq.all(), published)).keySet().containsAll(hostile.keySet())
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            boolean committed = awaitCommitted(published.keySet());
            assertDeadLetters(published, positionsOf(ourDeadLetters(drain(dlq), published)));
            assertThat(committed)
                    .as("ingest-service committed the offsets of every published record")
                    .isTrue();
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(Database.counts(tenant.id()))
                        .containsAllEntriesOf(corpus.expectedRows())
                        .containsEntry("run_artifacts", 0L));
        assertRunsThroughTheApi(tenant, corpus, hostileRuns.get(0), hostileRuns.get(1));

        ServiceProcess after = ServiceProcess.ingest();
        assertThat(after.ready()).as("ingest-service /q/health/ready is 200").isTrue();
        assertThat(after.startTime()).as("ingest-service process start time").isEqualTo(before.startTime());
        Map<String, Long> perCode = corpus.hostile().stream()
                .collect(Collectors.groupingBy(Hostile::code, LinkedHashMap::new, Collectors.counting()));
        perCode.forEach((code, count) -> assertThat(after.deadLetters(code) - before.deadLetters(code))
                .as("labjournal_ingest_dead_letters_total{code=%s} increase", code)
                .isGreaterThanOrEqualTo(count));
        printSummary(corpus);
    }

    private static Map<Position, Entry> publish(List<Entry> entries) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1_048_576);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hostile-events-it");
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (Entry entry : entries) {
                sent.add(producer.send(
                        new ProducerRecord<>(RUN_EVENTS, null, entry.key(), entry.value(), entry.headers())));
            }
            producer.flush();
            Map<Position, Entry> positions = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                RecordMetadata metadata = sent.get(i).get();
                positions.put(new Position(metadata.partition(), metadata.offset()), entries.get(i));
            }
            return positions;
        }
    }

    /** Everything dead-lettered so far: polls until a poll brings nothing new (one poll may stop at 1 MiB). */
    private static List<DeadLetterTopic.DeadLetter> drain(DeadLetterTopic dlq) {
        List<DeadLetterTopic.DeadLetter> seen = dlq.all();
        for (List<DeadLetterTopic.DeadLetter> more = dlq.all(); more.size() > seen.size(); more = dlq.all()) {
            seen = more;
        }
        return seen;
    }

    /** The dead letters whose source is one of the records this test published. */
    private static List<DeadLetterTopic.DeadLetter> ourDeadLetters(
            List<DeadLetterTopic.DeadLetter> all, Map<Position, Entry> published) {
        return all.stream()
                .filter(d -> RUN_EVENTS.equals(d.headers().get("lj-source-topic")))
                .filter(d -> published.containsKey(sourceOf(d)))
                .toList();
    }

    private static Map<Position, List<DeadLetterTopic.DeadLetter>> positionsOf(List<DeadLetterTopic.DeadLetter> all) {
        return all.stream().collect(Collectors.groupingBy(HostileEventsIT::sourceOf));
    }

    private static Position sourceOf(DeadLetterTopic.DeadLetter deadLetter) {
        try {
            return new Position(
                    Integer.parseInt(deadLetter.headers().get("lj-source-partition")),
                    Long.parseLong(deadLetter.headers().get("lj-source-offset")));
        } catch (NumberFormatException e) {
            return new Position(-1, -1);
        }
    }

    /** Each hostile record dead-lettered exactly once, saying what is wrong; no valid record dead-lettered. */
    private static void assertDeadLetters(
            Map<Position, Entry> published, Map<Position, List<DeadLetterTopic.DeadLetter>> deadLetters) {
        SoftAssertions softly = new SoftAssertions();
        published.forEach((position, entry) -> {
            List<DeadLetterTopic.DeadLetter> letters = deadLetters.getOrDefault(position, List.of());
            if (!(entry instanceof Hostile h)) {
                softly.assertThat(letters)
                        .as("dead letters of the valid event [%s]", ((HostileCorpus.Valid) entry).name())
                        .isEmpty();
                return;
            }
            String what = h.category() + " / " + h.name();
            softly.assertThat(letters).as("dead letters of [%s]", what).hasSize(1);
            if (letters.isEmpty()) {
                return;
            }
            DeadLetterTopic.DeadLetter letter = letters.get(0);
            Map<String, String> headers = letter.headers();
            softly.assertThat(letter.key()).as("key of [%s]", what).isEqualTo(h.key());
            softly.assertThat(headers.get("lj-error-code"))
                    .as("lj-error-code of [%s] (reason: %s)", what, headers.get("lj-error-reason"))
                    .isEqualTo(h.code());
            softly.assertThat(headers.get("lj-error-path"))
                    .as("lj-error-path of [%s] (reason: %s)", what, headers.get("lj-error-reason"))
                    .isNotBlank()
                    .isEqualTo(h.path());
            softly.assertThat(headers.get("lj-error-reason"))
                    .as("lj-error-reason of [%s]", what)
                    .isNotBlank()
                    .contains(h.reasonContains());
            String original = h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
            softly.assertThat(letter.value())
                    .as("dead-lettered bytes of [%s] are the record's value", what)
                    .isEqualTo(original);
        });
        softly.assertAll();
    }

    /**
     * Waits (at most 30 s) until the ingest consumer group has committed past every record this test published: from
     * then on, no batch holding them can be replayed, so a dead letter seen once stays once.
     *
     * @return whether it has
     */
    private static boolean awaitCommitted(Iterable<Position> positions) throws Exception {
        Map<TopicPartition, Long> needed = new HashMap<>();
        for (Position position : positions) {
            needed.merge(new TopicPartition(RUN_EVENTS, position.partition()), position.offset() + 1, Math::max);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                ConsumerLag.INGEST_GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get();
                boolean done = needed.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata offset = committed.get(e.getKey());
                    return offset != null && offset.offset() >= e.getValue();
                });
                if (done || System.nanoTime() > deadline) {
                    return done;
                }
                Thread.sleep(300);
            }
        }
    }

    private static void assertRunsThroughTheApi(
            TestTenant tenant, HostileCorpus corpus, String conflictedByParams, String conflictedByRestart)
            throws Exception {
        Platform.Reply first =
                Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + conflictedByParams, tenant.readKey());
        assertThat(first.status())
                .as("GET run %s: %s", conflictedByParams, first.body())
                .isEqualTo(200);
        assertThat(first.body().get("status").asText()).isEqualTo("failed");
        assertThat(first.body().get("params").get("lr").asText())
                .as("a param keeps its first value")
                .isEqualTo("0.001");
        assertThat(first.body().get("params").get("seed").asText())
                .as("the other param of the conflicting event still landed")
                .isEqualTo("7");
        assertThat(first.body().get("notes"))
                .as("notes of %s", conflictedByParams)
                .hasSize(corpus.notesByRun().get(conflictedByParams));

        Platform.Reply second =
                Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + conflictedByRestart, tenant.readKey());
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("status").asText()).isEqualTo("succeeded");
        assertThat(second.body().get("params").get("batch_size").asText()).isEqualTo("512");
        assertThat(second.body().get("params").get("warmup").asText()).isEqualTo("5");
    }

    private static void printSummary(HostileCorpus corpus) {
        Map<String, Long> perCategory = corpus.hostile().stream()
                .collect(Collectors.groupingBy(Hostile::category, LinkedHashMap::new, Collectors.counting()));
        StringBuilder summary = new StringBuilder("hostile events dead-lettered once each, by category:\n");
        perCategory.forEach((category, count) -> summary.append(String.format("  %4d  %s%n", count, category)));
        summary.append(String.format(
                "  %4d  in all, between %d valid events%n",
                corpus.hostile().size(),
                corpus.entries().size() - corpus.hostile().size()));
        System.out.print(summary);
    }
}
