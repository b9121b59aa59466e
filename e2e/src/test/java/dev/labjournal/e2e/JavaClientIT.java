package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.client.LabJournal;
import dev.labjournal.client.LabJournalConfig;
import dev.labjournal.client.NoteKind;
import dev.labjournal.client.Run;
import dev.labjournal.client.RunOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java SDK (clients/java) against the live platform, configured as a user would (query-service's URL and a key;
 * the rest comes from GET /api/v1/client-config): a run over HTTP and one over Kafka arrive with every metric
 * point counted, their params, tags, note, environment and status; an exception thrown in {@link LabJournal#run}
 * becomes a failed run whose stack trace is stored as printStackTrace wrote it and found by searching one of its
 * frames; and none of it is visible to a key of another tenant.
 */
class JavaClientIT {

    private static final String PROJECT = "java-sdk";
    private static final int LOSS_POINTS = 2500;
    /** A method name no other code has, so that searching it finds the frame of the failed run. */
    private static final String DISTINCTIVE_FRAME = "divergesInsideJavaClientItTraining";

    /** The SDK's logger (System.Logger goes to java.util.logging), held so that its handler stays. */
    private static final Logger CLIENT_LOG = Logger.getLogger("dev.labjournal.client");

    private static TestTenant tenant;
    private static TestTenant other;

    @BeforeAll
    static void tenants() throws Exception {
        tenant = TestTenant.create("java-sdk");
        other = TestTenant.create("java-sdk-other");
    }

    /** What a user sets: query-service's URL and a key; the tenant and the ingest address come from client-config. */
    private static LabJournalConfig overHttp() {
        return LabJournalConfig.builder(Map.of())
                .url(Platform.QUERY_URL)
                .apiKey(tenant.ingestKey())
                .build();
    }

    /** The same over Kafka: the brokers and the topic come from client-config too. */
    private static LabJournalConfig overKafka() {
        return LabJournalConfig.builder(Map.of())
                .url(Platform.QUERY_URL)
                .apiKey(tenant.ingestKey())
                .transport(LabJournalConfig.Transport.KAFKA)
                .build();
    }

    @Test
    void aRunOverHttpArrivesWithEveryPoint() throws Exception {
        recordsAWholeRun(overHttp(), "java-http-" + UUID.randomUUID());
    }

    @Test
    void aRunOverKafkaArrivesWithEveryPoint() throws Exception {
        recordsAWholeRun(overKafka(), "java-kafka-" + UUID.randomUUID());
    }

    private void recordsAWholeRun(LabJournalConfig config, String runId) throws Exception {
        RunOptions options = RunOptions.builder()
                .project(PROJECT)
                .runId(runId)
                .name("bert " + config.transport())
                .team("nlp")
                .param("lr", "0.1")
                .param("layers", 12)
                .tag("k", "v")
                .config(config)
                .build();
        try (Run run = LabJournal.startRun(options)) {
            for (int i = 0; i < LOSS_POINTS; i++) {
                run.logMetric("loss", 1.0 / (i + 1));
            }
            for (int epoch = 0; epoch < 10; epoch++) {
                run.logMetrics(Map.of("acc", epoch / 10.0), epoch * 100L);
            }
            run.logParams(Map.of("seed", 42));
            run.setTags(Map.of("env", "ci"));
            run.note(NoteKind.OBSERVATION, "loss keeps falling over " + config.transport());
        }

        JsonNode stored = Runs.awaitRun(
                tenant.readKey(),
                runId,
                run -> "succeeded".equals(run.get("status").asText()));
        assertThat(stored.get("project").asText()).isEqualTo(PROJECT);
        assertThat(stored.get("name").asText()).isEqualTo("bert " + config.transport());
        assertThat(stored.get("team").asText()).isEqualTo("nlp");
        assertThat(stored.get("started").asBoolean()).isTrue();
        assertThat(stored.get("params"))
                .isEqualTo(Platform.JSON.valueToTree(Map.of("lr", "0.1", "layers", "12", "seed", "42")));
        assertThat(stored.get("tags")).isEqualTo(Platform.JSON.valueToTree(Map.of("k", "v", "env", "ci")));
        assertThat(stored.get("notes")).hasSize(1);
        assertThat(stored.get("notes").get(0).get("text").asText())
                .isEqualTo("loss keeps falling over " + config.transport());

        Map<String, JsonNode> metrics = new TreeMap<>();
        stored.get("metrics").forEach(metric -> metrics.put(metric.get("key").asText(), metric));
        assertThat(metrics).containsOnlyKeys("loss", "acc");
        JsonNode loss = metrics.get("loss");
        assertThat(loss.get("count").asLong()).isEqualTo(LOSS_POINTS);
        assertThat(loss.get("last_step").asLong()).isEqualTo(LOSS_POINTS - 1);
        assertThat(loss.get("last").asDouble()).isEqualTo(1.0 / LOSS_POINTS);
        assertThat(loss.get("min").asDouble()).isEqualTo(1.0 / LOSS_POINTS);
        assertThat(loss.get("max").asDouble()).isEqualTo(1.0);
        JsonNode acc = metrics.get("acc");
        assertThat(acc.get("count").asLong()).isEqualTo(10);
        assertThat(acc.get("last_step").asLong()).isEqualTo(900);
        assertThat(acc.get("last").asDouble()).isEqualTo(0.9);

        JsonNode environment = stored.get("environment");
        assertThat(environment.get("java").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(environment.get("host").asText()).isNotBlank();
        assertThat(stored.get("source").get("commit").asText())
                .as("the commit of the repository the test runs in")
                .isEqualTo(gitHead());
    }

    @Test
    void aRunThatRepeatsAnEarlierOneIsWarnedAboutAtStart() throws Exception {
        String key = tenant.issueKey("ingest", "read").secret();
        LabJournalConfig config = LabJournalConfig.builder(Map.of())
                .url(Platform.QUERY_URL)
                .apiKey(key)
                .build();
        String lr = "0.0" + UUID.randomUUID().toString().replace("-", "");
        String first = "java-first-" + UUID.randomUUID();
        try (Run run = LabJournal.startRun(RunOptions.builder()
                .project(PROJECT)
                .runId(first)
                .param("lr", lr)
                .config(config)
                .build())) {
            run.logMetric("loss", 0.5);
        }
        Runs.awaitRun(
                tenant.readKey(),
                first,
                run -> "succeeded".equals(run.get("status").asText()));

        List<String> warnings = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        CLIENT_LOG.addHandler(handler);
        try (Run run = LabJournal.startRun(RunOptions.builder()
                .project(PROJECT)
                .runId("java-again-" + UUID.randomUUID())
                .param("lr", lr)
                .config(config)
                .build())) {
            run.logMetric("loss", 0.5);
        } finally {
            CLIENT_LOG.removeHandler(handler);
        }
        assertThat(warnings)
                .as("the same project, commit (this checkout's) and params as the first run")
                .contains("Lab Journal: 1 earlier run of project " + PROJECT + " had the same commit and params (1"
                        + " succeeded): " + Platform.QUERY_URL + "/#/runs/" + first + " (succeeded)");
    }

    @Test
    void anExceptionBecomesAFailedRunFoundByAFrameOfItsStackTraceAndOnlyByItsTenant() throws Exception {
        String runId = "java-failed-" + UUID.randomUUID();
        RunOptions options = RunOptions.builder()
                .project(PROJECT)
                .runId(runId)
                .name("bert that diverges")
                .config(overHttp())
                .build();

        IllegalStateException thrown = catchThrowableOfType(
                IllegalStateException.class,
                () -> LabJournal.run(options, run -> {
                    run.logMetric("loss", 0.7, 1);
                    divergesInsideJavaClientItTraining(run);
                }));

        String expectedTrace = printStackTrace(thrown);
        assertThat(expectedTrace)
                .contains("Caused by: java.lang.ArithmeticException")
                .containsPattern("\\.\\.\\. \\d+ more");
        JsonNode stored = Runs.awaitRun(
                tenant.readKey(),
                runId,
                run -> "failed".equals(run.get("status").asText()));
        JsonNode failure = stored.get("failure");
        assertThat(failure.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failure.get("message").asText()).isEqualTo("training diverged at step 3");
        assertThat(failure.get("stacktrace").asText()).isEqualTo(expectedTrace);
        assertThat(failure.get("step").asLong()).isEqualTo(3);

        JsonNode hit = Searching.awaitHit(tenant.readKey(), DISTINCTIVE_FRAME, runId);
        assertThat(hit.get("status").asText()).isEqualTo("failed");
        assertThat(hit.get("failure_type").asText()).isEqualTo("java.lang.IllegalStateException");

        assertThat(Runs.get(other.readKey(), runId).status())
                .as("another tenant's key asking for the run by id")
                .isEqualTo(404);
        Platform.Reply search = Searching.search(other.readKey(), DISTINCTIVE_FRAME);
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body().get("runs"))
                .as("another tenant searching the frame")
                .isEmpty();
        assertThat(search.body().get("total").asLong()).isZero();
    }

    /** Two frames deep, with a cause, so the trace has "Caused by:" and "... N more". */
    private static void divergesInsideJavaClientItTraining(Run run) {
        for (long step = 2; step <= 3; step++) {
            run.logMetric("loss", Double.NaN, step);
        }
        try {
            lossOf(0.0);
        } catch (ArithmeticException nan) {
            throw new IllegalStateException("training diverged at step 3", nan);
        }
    }

    private static double lossOf(double denominator) {
        throw new ArithmeticException("loss is NaN: division by " + denominator);
    }

    private static String printStackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            thrown.printStackTrace(writer);
        }
        return text.toString();
    }

    private static String gitHead() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").start();
        assertThat(git.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
