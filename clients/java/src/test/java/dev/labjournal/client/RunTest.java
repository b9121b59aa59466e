package dev.labjournal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.schemas.EventValidator;
import dev.labjournal.schemas.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunTest {

    private static final EventValidator VALIDATOR = new EventValidator();

    private FakeIngest ingest;
    private Warnings warnings;

    @BeforeEach
    void start() throws IOException {
        ingest = new FakeIngest();
        warnings = new Warnings();
    }

    @AfterEach
    void stop() {
        warnings.close();
        ingest.close();
    }

    /** A configuration that names the tenant and the ingest address, so the server is not asked. */
    private LabJournalConfig.Builder config() {
        return LabJournalConfig.builder(Map.of())
                .apiKey(FakeIngest.KEY)
                .tenant(FakeIngest.TENANT)
                .ingestUrl(ingest.url())
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private RunOptions.Builder options(LabJournalConfig config) {
        return RunOptions.builder().project("nlp").name("bert").config(config);
    }

    @Test
    void everyEventFollowsTheContractFromStartedToFinished() {
        try (Run run = LabJournal.startRun(options(config().build())
                .runId("run-1")
                .team("vision")
                .param("lr", 0.1)
                .tag("k", "v")
                .build())) {
            run.logMetrics(Map.of("loss", 0.3));
            run.logMetric("acc", 0.9, 7);
            run.logMetric("grad_norm", Double.NaN);
            run.logMetric("grad_norm", Double.POSITIVE_INFINITY);
            run.logParams(Map.of("batch_size", 512));
            run.setTags(Map.of("env", "prod"));
            run.note("loss plateaus after warmup");
            run.note(NoteKind.CONCLUSION, "lr 0.1 is too high");
        }

        List<JsonNode> events = ingest.accepted();
        for (JsonNode event : events) {
            ValidationResult result = VALIDATOR.validate(event.toString().getBytes());
            assertThat(result.errors()).as("%s", event).isEmpty();
            assertThat(result.unknownMembers()).as("%s", event).isEmpty();
            assertThat(event.get("tenant").asText()).isEqualTo("acme");
            assertThat(event.get("source").asText()).isEqualTo("/tenants/acme/projects/nlp");
            assertThat(event.get("subject").asText()).isEqualTo("run-1");
        }
        assertThat(events.stream().map(event -> event.get("id").asText()).distinct())
                .hasSize(events.size());
        assertThat(events.get(0).get("type").asText()).isEqualTo("dev.labjournal.run.started.v1");
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("dev.labjournal.run.finished.v1");

        JsonNode started = events.get(0).get("data");
        assertThat(started.get("name").asText()).isEqualTo("bert");
        assertThat(started.get("team").asText()).isEqualTo("vision");
        assertThat(started.get("params").toString()).isEqualTo("{\"lr\":\"0.1\"}");
        assertThat(started.get("tags").toString()).isEqualTo("{\"k\":\"v\"}");
        assertThat(started.get("environment").get("java").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(started.get("environment").get("host").asText()).isNotBlank();
        String commit = RunEnvironment.git(Path.of("").toAbsolutePath(), "rev-parse", "HEAD");
        assertThat(commit).as("the tests run in a git checkout").isNotBlank();
        assertThat(started.get("source").get("commit").asText()).isEqualTo(commit);

        assertThat(ingest.points())
                .extracting(point -> point.get("key").asText() + "@" + point.get("step") + "=" + point.get("value"))
                .containsExactlyInAnyOrder(
                        "loss@0=0.3", "acc@7=0.9", "grad_norm@0=\"NaN\"", "grad_norm@1=\"Infinity\"");
        assertThat(ingest.ofType("params").get(0).get("data").toString())
                .isEqualTo("{\"params\":{\"batch_size\":\"512\"}}");
        assertThat(ingest.ofType("tags").get(0).get("data").toString()).isEqualTo("{\"tags\":{\"env\":\"prod\"}}");
        assertThat(ingest.ofType("note"))
                .extracting(note -> note.get("data").get("kind").asText())
                .containsExactly("observation", "conclusion");
        assertThat(ingest.ofType("finished").get(0).get("data").toString()).isEqualTo("{\"status\":\"succeeded\"}");
    }

    @Test
    void pointsTravelInBatchesOfAtMostMaxBatchPoints() {
        try (Run run = LabJournal.startRun(options(config().build()).build())) {
            for (int i = 0; i < 2500; i++) {
                run.logMetric("loss", 1.0 / (i + 1));
            }
        }

        List<JsonNode> metrics = ingest.ofType("metrics");
        assertThat(metrics).hasSizeGreaterThanOrEqualTo(3);
        assertThat(metrics)
                .allSatisfy(
                        event -> assertThat(event.get("data").get("metrics")).hasSizeLessThanOrEqualTo(1000));
        assertThat(ingest.points())
                .extracting(point -> point.get("step").asLong())
                .containsExactlyElementsOf(LongStream.range(0, 2500).boxed().toList());
    }

    @Test
    void aPointAloneIsSentAfterTheFlushInterval() {
        try (Run run = LabJournal.startRun(
                options(config().flushInterval(Duration.ofMillis(200)).build()).build())) {
            run.logMetric("loss", 0.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> ingest.points().size() == 1);
            assertThat(ingest.ofType("finished")).as("still open").isEmpty();
        }
    }

    @Test
    void stepsCountUpPerKeyWhenNotGiven() {
        try (Run run = LabJournal.startRun(options(config().build()).build())) {
            run.logMetric("a", 1);
            run.logMetric("a", 1);
            run.logMetric("b", 1);
            run.logMetric("a", 1, 10);
            run.logMetric("a", 1);
            run.logMetrics(Map.of("b", 2, "c", 3));
            run.logMetrics(Map.of("b", 2), 100);
        }
        assertThat(ingest.points())
                .extracting(point -> point.get("key").asText() + point.get("step"))
                .containsExactlyInAnyOrder("a0", "a1", "b0", "a10", "a11", "b1", "c0", "b100");
    }

    @Test
    void logCallsNeverWaitAndAFullQueueDropsTheOldestPointsWithOneWarning() {
        ingest.answer(503);
        int capacity = 1000;
        int logged = 100_000;
        try (Run run =
                LabJournal.startRun(options(config().queueCapacity(capacity).build())
                        .param("lr", "0.1")
                        .build())) {
            long start = System.nanoTime();
            for (int i = 0; i < logged; i++) {
                run.logMetric("loss", i);
            }
            run.logParams(Map.of("seed", 42));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took)
                    .as("100,000 log calls against a server that answers 503")
                    .isLessThan(Duration.ofSeconds(3));
            assertThat(warnings.containing("is full")).hasSize(1);
            ingest.answer(202);
        }

        assertThat(ingest.ofType("started")).hasSize(1);
        assertThat(ingest.ofType("params")).hasSize(1);
        assertThat(ingest.ofType("finished")).hasSize(1);
        List<Long> steps = ingest.points().stream()
                .map(point -> point.get("step").asLong())
                .toList();
        assertThat(steps).as("the newest points are kept").contains((long) logged - 1);
        assertThat(steps.size()).as("at most the queue and one batch in flight").isLessThanOrEqualTo(capacity + 1000);
        assertThat(warnings.containing("dropped")).hasSize(1);
        assertThat(warnings.containing("dropped").get(0)).contains("dropped " + (logged - steps.size()));
    }

    @Test
    void anUncaughtExceptionFailsTheRunWithItsStackTraceAndIsRethrown() {
        IllegalStateException thrown = new IllegalStateException("loss is NaN", new IOException("disk full"));
        assertThatThrownBy(() -> LabJournal.run(options(config().build()).build(), run -> {
                    run.logMetric("loss", 0.5, 41);
                    run.logMetric("loss", Double.NaN, 42);
                    throw thrown;
                }))
                .isSameAs(thrown);

        JsonNode finished = ingest.ofType("finished").get(0).get("data");
        assertThat(finished.get("status").asText()).isEqualTo("failed");
        JsonNode failure = finished.get("failure");
        assertThat(failure.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failure.get("message").asText()).isEqualTo("loss is NaN");
        assertThat(failure.get("step").asLong()).isEqualTo(42);
        String stackTrace = failure.get("stacktrace").asText();
        assertThat(stackTrace)
                .isEqualTo(Failure.stackTrace(thrown))
                .startsWith("java.lang.IllegalStateException: loss is NaN\n\tat dev.labjournal.client.RunTest.")
                .contains("Caused by: java.io.IOException: disk full")
                .containsPattern("\t\\.\\.\\. \\d+ more");
        assertThat(ingest.ofType("finished")).hasSize(1);
    }

    @Test
    void aCheckedExceptionOfTheBodyIsRethrownAsDeclared() {
        IOException thrown = new IOException("no shard");
        assertThatThrownBy(() ->
                        LabJournal.<IOException>run(options(config().build()).build(), run -> {
                            throw thrown;
                        }))
                .isSameAs(thrown);
        assertThat(ingest.ofType("finished")
                        .get(0)
                        .get("data")
                        .get("failure")
                        .get("type")
                        .asText())
                .isEqualTo("java.io.IOException");
    }

    @Test
    void unavailableIngestIsRetriedAndEveryEventArrivesOnce() {
        ingest.failNext(3);
        try (Run run = LabJournal.startRun(options(config().build()).build())) {
            run.logMetric("loss", 0.1);
        }
        List<JsonNode> events = ingest.accepted();
        assertThat(events)
                .extracting(event -> event.get("type").asText())
                .containsExactly(
                        "dev.labjournal.run.started.v1",
                        "dev.labjournal.run.metrics.v1",
                        "dev.labjournal.run.finished.v1");
        assertThat(warnings.containing("retrying with backoff")).hasSize(1);
    }

    @Test
    void anEventTheServerRefusesIsDroppedAloneAndTheOthersArrive() {
        ingest.refuse(event -> event.at("/data/text").asText().equals("refuse me"));
        try (Run run = LabJournal.startRun(options(config().build()).build())) {
            run.note("refuse me");
            run.note("keep me");
            run.logMetric("loss", 1);
        }
        assertThat(ingest.ofType("note"))
                .extracting(note -> note.at("/data/text").asText())
                .containsExactly("keep me");
        assertThat(ingest.ofType("started")).hasSize(1);
        assertThat(ingest.points()).hasSize(1);
        assertThat(ingest.ofType("finished")).hasSize(1);
        assertThat(warnings.containing("was refused and is dropped")).hasSize(1);
    }

    @Test
    void theTenantAndTheIngestAddressAreLearnedOnceFromClientConfig() {
        LabJournalConfig config = LabJournalConfig.builder(
                        Map.of("LABJOURNAL_URL", ingest.url(), "LABJOURNAL_API_KEY", FakeIngest.KEY))
                .build();
        for (int i = 0; i < 2; i++) {
            try (Run run = LabJournal.startRun(options(config).build())) {
                run.logMetric("loss", 1);
            }
        }
        assertThat(ingest.ofType("started"))
                .hasSize(2)
                .allSatisfy(event -> assertThat(event.get("source").asText())
                        .isEqualTo("/tenants/" + FakeIngest.TENANT + "/projects/nlp"));
        assertThat(ingest.configRequests()).isEqualTo(1);
    }

    @Test
    void aRunThatRepeatsEarlierOnesIsWarnedAboutAtStart() {
        ingest.duplicatesAnswer("{\"fingerprint\":\"f\",\"count\":2,"
                + "\"outcomes\":{\"succeeded\":1,\"failed\":1,\"killed\":0,\"lost\":0,\"running\":0},"
                + "\"runs\":[{\"run_id\":\"run-7\",\"status\":\"failed\",\"failure_type\":\"OOM\"},"
                + "{\"run_id\":\"run-6\",\"status\":\"succeeded\",\"failure_type\":null}]}");
        LabJournalConfig config = config().url(ingest.url()).build();
        try (Run run = LabJournal.startRun(options(config).param("lr", "0.1").build())) {
            run.logMetric("loss", 1);
        }

        JsonNode question = ingest.duplicateQuestions().get(0);
        assertThat(question.get("project").asText()).isEqualTo("nlp");
        assertThat(question.get("params").toString()).isEqualTo("{\"lr\":\"0.1\"}");
        assertThat(question.path("commit").asText(null))
                .isEqualTo(ingest.ofType("started")
                        .get(0)
                        .at("/data/source/commit")
                        .asText(null));
        assertThat(warnings.containing("earlier run"))
                .containsExactly(
                        "Lab Journal: 2 earlier runs of project nlp had the same commit and params (1 succeeded,"
                                + " 1 failed): " + ingest.url() + "/#/runs/run-7 (failed: OOM), " + ingest.url()
                                + "/#/runs/run-6 (succeeded)");
    }

    @Test
    void aRunThatRepeatsNothingStartsWithoutAWarning() {
        try (Run run =
                LabJournal.startRun(options(config().url(ingest.url()).build()).build())) {
            run.logMetric("loss", 1);
        }
        assertThat(ingest.duplicateQuestions()).hasSize(1);
        assertThat(warnings.containing("earlier run")).isEmpty();
    }

    @Test
    void closeGivesUpAfterItsTimeoutWhenIngestStaysDown() {
        ingest.answer(503);
        long start = System.nanoTime();
        try (Run run = LabJournal.startRun(
                options(config().closeTimeout(Duration.ofMillis(500)).build()).build())) {
            run.logMetric("loss", 1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(warnings.containing("gave up")).hasSize(1);
        assertThat(ingest.accepted()).isEmpty();
    }

    @Test
    void aRefusedKeyStopsDeliveryWithOneWarning() {
        try (Run run = LabJournal.startRun(
                options(config().apiKey("lj_key_wrong").build()).build())) {
            run.logMetric("loss", 1);
        }
        assertThat(warnings.containing("nothing of run")).hasSize(1);
        assertThat(ingest.accepted()).isEmpty();
    }

    @Test
    void invalidKeysAreDroppedWithOneWarningAndTheRestLands() {
        try (Run run = LabJournal.startRun(options(config().build()).build())) {
            run.logMetric("bad key!", 1);
            run.logMetric("bad key!", 2);
            run.logMetric("good", 3);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("ok", 1);
            params.put("é", 2);
            run.logParams(params);
        }
        assertThat(warnings.containing("'bad key!'")).hasSize(1);
        assertThat(ingest.points())
                .extracting(point -> point.get("key").asText())
                .containsExactly("good");
        assertThat(ingest.ofType("params").get(0).get("data").toString()).isEqualTo("{\"params\":{\"ok\":\"1\"}}");
    }

    @Test
    void callsAfterTheFinishAreIgnoredWithOneWarning() {
        try (Run run = LabJournal.startRun(options(config().build()).build())) {
            run.fail(new RuntimeException("boom"));
            run.logMetric("loss", 1);
            run.fail(new RuntimeException("again"));
        }
        Set<String> statuses = new HashSet<>();
        ingest.ofType("finished")
                .forEach(event -> statuses.add(event.at("/data/status").asText()));
        assertThat(statuses).containsExactly("failed");
        assertThat(ingest.ofType("finished")).hasSize(1);
        assertThat(ingest.points()).isEmpty();
        assertThat(warnings.containing("is finished")).hasSize(1);
    }

    @Test
    void invalidOptionsAreRefusedBeforeTheRunStarts() {
        assertThatThrownBy(() -> RunOptions.builder().build()).hasMessageContaining("project");
        assertThatThrownBy(() -> RunOptions.builder().project("a b")).hasMessageContaining("invalid project");
        assertThatThrownBy(() -> RunOptions.builder().team("Vision")).hasMessageContaining("invalid team");
        assertThatThrownBy(() -> RunOptions.builder().param("", 1)).hasMessageContaining("invalid key");
        assertThatThrownBy(() -> LabJournalConfig.builder(Map.of()).build()).hasMessageContaining("LABJOURNAL_API_KEY");
        assertThatThrownBy(() -> LabJournalConfig.builder(Map.of("LABJOURNAL_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
                        .build())
                .hasMessageContaining("LABJOURNAL_TENANT");
    }
}
