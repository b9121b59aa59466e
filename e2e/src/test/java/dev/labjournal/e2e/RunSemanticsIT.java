package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ingest semantics of D4, observed through the query API. */
class RunSemanticsIT {

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() throws Exception {
        tenant = TestTenant.create("semantics");
    }

    private static String newRunId() {
        return "run-" + UUID.randomUUID();
    }

    private static Kcat.KeyedLine line(String runId, ObjectNode event) {
        return new Kcat.KeyedLine(runId, event.toString());
    }

    private static JsonNode awaitRun(String runId, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] run = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, tenant.readKey());
                    run[0] = reply.body();
                    return reply.status() == 200 && condition.test(reply.body());
                });
        return run[0];
    }

    @Test
    void eventsBeforeRunStartedCreateAPlaceholderThatIsCompletedLater() throws Exception {
        String runId = newRunId();
        Kcat.produce(
                "labjournal.run-events",
                List.of(
                        line(runId, Events.failed(tenant.id(), "nlp", runId, "ValueError", "bad shape")),
                        line(runId, Events.metrics(tenant.id(), "nlp", runId, 0, 5))));
        JsonNode placeholder = awaitRun(runId, r -> r.get("metrics").size() == 2);
        assertThat(placeholder.get("started").asBoolean()).isFalse();
        assertThat(placeholder.get("status").asText()).isEqualTo("failed");

        Kcat.produce(
                "labjournal.run-events", List.of(line(runId, Events.started(tenant.id(), "nlp", runId, "late start"))));

        JsonNode run = awaitRun(runId, r -> r.get("started").asBoolean());
        assertThat(run.get("name").asText()).isEqualTo("late start");
        assertThat(run.get("status").asText())
                .as("run.started does not undo the outcome")
                .isEqualTo("failed");
        assertThat(run.get("failure").get("type").asText()).isEqualTo("ValueError");
        assertThat(run.get("team").asText()).isEqualTo("vision");
        assertThat(run.get("start_time").isNull()).isFalse();
    }

    @Test
    void aParamWithAnotherValueIsDeadLetteredWhileTheRestOfTheEventLands() throws Exception {
        String runId = newRunId();
        ObjectNode conflicting = Events.event(tenant.id(), "nlp", runId, "params", Events.data());
        ((ObjectNode) conflicting.get("data"))
                .putObject("params")
                .put("lr", "0.5")
                .put("warmup_steps", "1000");
        ObjectNode sameAgain = Events.event(tenant.id(), "nlp", runId, "params", Events.data());
        ((ObjectNode) sameAgain.get("data")).putObject("params").put("lr", "0.001");

        try (DeadLetterTopic dlq = new DeadLetterTopic()) {
            Kcat.produce(
                    "labjournal.run-events",
                    List.of(
                            line(runId, Events.started(tenant.id(), "nlp", runId, "immutable params")),
                            line(runId, sameAgain),
                            line(runId, conflicting)));

            JsonNode run = awaitRun(runId, r -> r.get("params").has("warmup_steps"));
            assertThat(run.get("params").get("lr").asText()).isEqualTo("0.001");
            assertThat(run.get("params").get("warmup_steps").asText()).isEqualTo("1000");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlq.all().stream().anyMatch(d -> runId.equals(d.key())));
            List<DeadLetterTopic.DeadLetter> ours =
                    dlq.all().stream().filter(d -> runId.equals(d.key())).toList();
            assertThat(ours)
                    .as("only the conflicting event, not the same value sent again")
                    .hasSize(1);
            assertThat(ours.get(0).headers()).containsEntry("lj-error-code", "param_conflict");
            assertThat(ours.get(0).headers().get("lj-error-reason"))
                    .contains("'lr'")
                    .contains("0.001");
        }
    }

    @Test
    void tagsAreLastWriterWinsByEventTime() throws Exception {
        String runId = newRunId();
        ObjectNode newer = Events.event(tenant.id(), "nlp", runId, "tags", Events.data());
        newer.put("time", Instant.now().toString());
        ((ObjectNode) newer.get("data")).putObject("tags").put("stage", "production");
        ObjectNode older = Events.event(tenant.id(), "nlp", runId, "tags", Events.data());
        older.put("time", Instant.now().minusSeconds(3600).toString());
        ((ObjectNode) older.get("data"))
                .putObject("tags")
                .put("stage", "staging")
                .put("owner", "ada");

        Kcat.produce("labjournal.run-events", List.of(line(runId, newer), line(runId, older)));

        JsonNode run = awaitRun(runId, r -> r.get("tags").has("owner"));
        assertThat(run.get("tags").get("stage").asText()).isEqualTo("production");
    }

    @Test
    void ofTwoFinishesOrArtifactsOfAPathTheLaterEventWinsWhateverTheirOrder() throws Exception {
        String runId = newRunId();
        Instant now = Instant.now();
        ObjectNode failedNow = Events.failed(tenant.id(), "nlp", runId, "ValueError", "bad shape");
        failedNow.put("time", now.toString());
        ObjectNode succeededEarlier = Events.finished(tenant.id(), "nlp", runId, "succeeded");
        succeededEarlier.put("time", now.minusSeconds(3600).toString());
        ObjectNode modelNow = artifact(runId, "model.pt", "s3://models/new.pt", now);
        ObjectNode modelEarlier = artifact(runId, "model.pt", "s3://models/old.pt", now.minusSeconds(60));
        ObjectNode configEarlier = artifact(runId, "config.yaml", "s3://models/config.yaml", now.minusSeconds(60));

        Kcat.produce(
                "labjournal.run-events",
                List.of(
                        line(runId, Events.started(tenant.id(), "nlp", runId, "two finishes")),
                        line(runId, failedNow),
                        line(runId, succeededEarlier),
                        line(runId, modelNow),
                        line(runId, modelEarlier),
                        line(runId, configEarlier)));

        JsonNode run = awaitRun(runId, r -> r.get("artifacts").size() == 2);
        assertThat(run.get("status").asText()).as("the later finish wins").isEqualTo("failed");
        assertThat(run.get("failure").get("type").asText()).isEqualTo("ValueError");
        Map<String, String> uris = new java.util.TreeMap<>();
        run.get("artifacts")
                .forEach(a -> uris.put(a.get("path").asText(), a.get("uri").asText()));
        assertThat(uris).isEqualTo(Map.of("model.pt", "s3://models/new.pt", "config.yaml", "s3://models/config.yaml"));
    }

    private static ObjectNode artifact(String runId, String path, String uri, Instant time) {
        ObjectNode event = Events.event(
                tenant.id(),
                "nlp",
                runId,
                "artifact",
                Events.data().put("path", path).put("uri", uri));
        event.put("time", time.toString());
        return event;
    }

    @Test
    void nanAndInfinitiesAreStoredFaithfully() throws Exception {
        String runId = newRunId();
        ObjectNode event = Events.event(tenant.id(), "nlp", runId, "metrics", Events.data());
        var points = ((ObjectNode) event.get("data")).putArray("metrics");
        points.addObject().put("key", "loss").put("value", 2.5).put("step", 0);
        points.addObject().put("key", "loss").put("value", "NaN").put("step", 1);
        points.addObject().put("key", "loss").put("value", "Infinity").put("step", 2);
        points.addObject().put("key", "loss").put("value", "-Infinity").put("step", 3);

        Kcat.produce("labjournal.run-events", List.of(line(runId, event)));

        JsonNode loss = awaitRun(runId, r -> r.get("metrics").size() == 1)
                .get("metrics")
                .get(0);
        assertThat(loss.get("count").asLong()).isEqualTo(4);
        assertThat(loss.get("last").asText()).isEqualTo("-Infinity");
        assertThat(loss.get("last_step").asLong()).isEqualTo(3);
        assertThat(loss.get("min").asText()).isEqualTo("-Infinity");
        assertThat(loss.get("max").asText()).as("NaN is not a maximum").isEqualTo("Infinity");
    }

    @Test
    void runsWithTheSameCodeDataAndParamsAreListedAsDuplicatesWithTheirOutcomes() throws Exception {
        String first = newRunId();
        String second = newRunId();
        String other = newRunId();
        ObjectNode otherStart = Events.started(tenant.id(), "dupes", other, "different lr");
        ((ObjectNode) otherStart.get("data").get("params")).put("lr", "0.002");

        Kcat.produce(
                "labjournal.run-events",
                List.of(
                        line(first, Events.started(tenant.id(), "dupes", first, "attempt 1")),
                        line(first, Events.failed(tenant.id(), "dupes", first, "RuntimeError", "NaN loss")),
                        line(second, Events.started(tenant.id(), "dupes", second, "attempt 2")),
                        line(other, otherStart)));
        awaitRun(second, r -> r.get("started").asBoolean());
        awaitRun(other, r -> r.get("started").asBoolean());
        awaitRun(first, r -> r.get("status").asText().equals("failed"));

        Platform.Reply reply =
                Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + second + "/duplicates", tenant.readKey());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("count").asLong()).isEqualTo(1);
        assertThat(reply.body().get("runs").get(0).get("run_id").asText()).isEqualTo(first);
        assertThat(reply.body().get("outcomes").get("failed").asLong()).isEqualTo(1);

        Platform.Reply alone =
                Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + other + "/duplicates", tenant.readKey());
        assertThat(alone.status()).isEqualTo(200);
        assertThat(alone.body().get("count").asLong()).isZero();
        assertThat(alone.body().get("runs")).isEmpty();
        assertThat(Platform.JSON.convertValue(alone.body().get("outcomes"), Map.class))
                .as("a run without duplicates still counts every outcome")
                .isEqualTo(Map.of("succeeded", 0, "failed", 0, "killed", 0, "lost", 0, "running", 0));
    }
}
