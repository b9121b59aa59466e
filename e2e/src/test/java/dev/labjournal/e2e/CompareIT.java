package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/compare}: three runs of tenant A published through Kafka (kcat) with known params, metric points
 * and outcomes; the param diff, the shared params and the metric summaries are checked against answers worked out by
 * hand from what was sent (a param one run lacks, a param equal in all, NaN and Infinity points, a failed run). Tenant
 * B's key gets none of it.
 */
class CompareIT {

    private static final String PROJECT = "compare";
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private static TestTenant a;
    private static TestTenant b;
    private static String runA;
    private static String runB;
    private static String runC;
    private static String foreignRun;

    @BeforeAll
    static void threeRunsWithKnownParamsMetricsAndOutcomes() throws Exception {
        a = TestTenant.create("compare-a");
        b = TestTenant.create("compare-b");
        runA = "cmp-a-" + UUID.randomUUID();
        runB = "cmp-b-" + UUID.randomUUID();
        runC = "cmp-c-" + UUID.randomUUID();
        foreignRun = "cmp-foreign-" + UUID.randomUUID();

        List<ObjectNode> events = new ArrayList<>();
        events.add(started(
                a, runA, "baseline", "ada", T0, "lr", "0.001", "batch_size", "512", "optimizer", "adam", "seed", "7"));
        events.add(metrics(
                a, runA, point("loss", 0, 2.0), point("loss", 1, 1.0), point("loss", 2, 0.5), point("acc", 2, 0.8)));
        events.add(at(Events.finished(a.id(), PROJECT, runA, "succeeded"), T0.plusMillis(95_500)));

        events.add(started(
                a,
                runB,
                "higher lr",
                "bob",
                T0.plusSeconds(10),
                "lr",
                "0.01",
                "batch_size",
                "512",
                "optimizer",
                "adam"));
        events.add(metrics(
                a,
                runB,
                point("loss", 0, 2.5),
                point("loss", 1, "Infinity"),
                point("loss", 2, "NaN"),
                point("grad_norm", 0, "NaN")));
        ObjectNode failed = Events.data().put("status", "failed");
        failed.putObject("failure")
                .put("type", "FloatingPointError")
                .put("message", "loss is NaN at step 2")
                .put("stacktrace", "Traceback (most recent call last):\n  File \"train.py\", line 9")
                .put("step", 2);
        events.add(at(Events.event(a.id(), PROJECT, runB, "finished", failed), T0.plusSeconds(40)));

        events.add(started(
                a,
                runC,
                "sgd",
                "ada",
                T0.plusSeconds(20),
                "lr",
                "0.001",
                "batch_size",
                "512",
                "optimizer",
                "sgd",
                "seed",
                "7"));

        events.add(started(b, foreignRun, "foreign", "eve", T0, "lr", "0.001", "batch_size", "1024"));

        Kcat.produce(
                "labjournal.run-events",
                events.stream()
                        .map(e -> new Kcat.KeyedLine(e.get("subject").asText(), e.toString()))
                        .toList());
        Runs.awaitRun(
                a.readKey(),
                runA,
                run -> run.get("status").asText().equals("succeeded")
                        && run.get("metrics").size() == 2);
        Runs.awaitRun(
                a.readKey(),
                runB,
                run -> run.get("status").asText().equals("failed")
                        && run.get("metrics").size() == 2);
        Runs.awaitRun(a.readKey(), runC, run -> run.get("params").size() == 4);
        Runs.awaitRun(b.readKey(), foreignRun, run -> run.get("params").size() == 2);
    }

    @Test
    void paramDiffSharedParamsAndMetricsAreWhatTheRunsSent() throws Exception {
        Platform.Reply reply = compare(a, runC + "," + runA + "," + runB);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        JsonNode body = reply.body();

        assertThat(body.get("param_diff"))
                .isEqualTo(json("{'lr': {'C': '0.001', 'A': '0.001', 'B': '0.01'},"
                        + " 'optimizer': {'C': 'sgd', 'A': 'adam', 'B': 'adam'},"
                        + " 'seed': {'C': '7', 'A': '7', 'B': null}}"));
        assertThat(body.get("param_diff").get("lr").fieldNames())
                .as("each run's value, in the order of the runs")
                .toIterable()
                .containsExactly(runC, runA, runB);
        assertThat(body.get("shared_params")).isEqualTo(json("{'batch_size': '512'}"));
        assertThat(body.get("metrics"))
                .isEqualTo(json("{'acc': {'C': null, 'A': {'last': 0.8, 'min': 0.8, 'max': 0.8, 'last_step': 2,"
                        + " 'count': 1}, 'B': null},"
                        + " 'grad_norm': {'C': null, 'A': null, 'B': {'last': 'NaN', 'min': null, 'max': null,"
                        + " 'last_step': 0, 'count': 1}},"
                        + " 'loss': {'C': null, 'A': {'last': 0.5, 'min': 0.5, 'max': 2.0, 'last_step': 2, 'count': 3},"
                        + " 'B': {'last': 'NaN', 'min': 2.5, 'max': 'Infinity', 'last_step': 2, 'count': 3}}}"));
        assertThat(body.get("not_found")).isEmpty();
    }

    @Test
    void runsComeInTheRequestedOrderWithTheirOutcomeAndDuration() throws Exception {
        Platform.Reply reply = compare(a, runB + "," + runC + "," + runA);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        JsonNode runs = reply.body().get("runs");

        assertThat(runs).extracting(run -> run.get("run_id").asText()).containsExactly(runB, runC, runA);
        ObjectNode failed = (ObjectNode) runs.get(0);
        assertThat(Instant.parse(failed.remove("start_time").asText())).isEqualTo(T0.plusSeconds(10));
        assertThat(Instant.parse(failed.remove("end_time").asText())).isEqualTo(T0.plusSeconds(40));
        assertThat(failed)
                .isEqualTo(json("{'run_id': 'B', 'name': 'higher lr', 'project': 'compare', 'team': 'vision',"
                        + " 'user': 'bob', 'status': 'failed', 'failure': {'type': 'FloatingPointError',"
                        + " 'message': 'loss is NaN at step 2', 'step': 2}, 'duration_ms': 30000}"));
        assertThat(runs.get(1).get("status").asText()).isEqualTo("running");
        assertThat(runs.get(1).get("failure").isNull()).isTrue();
        assertThat(runs.get(1).get("end_time").isNull()).isTrue();
        assertThat(runs.get(1).get("duration_ms").isNull())
                .as("a running run has no duration")
                .isTrue();
        assertThat(runs.get(2).get("status").asText()).isEqualTo("succeeded");
        assertThat(runs.get(2).get("duration_ms").asLong()).isEqualTo(95_500L);
    }

    @Test
    void duplicatesAreIgnoredAndUnknownIdsAreListedApart() throws Exception {
        String unknown = "cmp-unknown-" + UUID.randomUUID();
        Platform.Reply reply = compare(a, runA + "," + unknown + "," + runA + "," + runC + "," + unknown);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);

        assertThat(reply.body().get("runs"))
                .extracting(run -> run.get("run_id").asText())
                .containsExactly(runA, runC);
        assertThat(reply.body().get("not_found")).extracting(JsonNode::asText).containsExactly(unknown);
        assertThat(reply.body().get("param_diff")).isEqualTo(json("{'optimizer': {'A': 'adam', 'C': 'sgd'}}"));
        assertThat(reply.body().get("shared_params"))
                .isEqualTo(json("{'batch_size': '512', 'lr': '0.001', 'seed': '7'}"));
    }

    @Test
    void aHundredRealisticIdsAreOneComparison() throws Exception {
        List<String> ids = new ArrayList<>(List.of(runA, runB, runC));
        IntStream.range(0, 97).forEach(i -> ids.add("cmp-unknown-" + UUID.randomUUID()));

        Platform.Reply reply = compare(a, String.join(",", ids));

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("runs")).hasSize(3);
        assertThat(reply.body().get("not_found"))
                .extracting(JsonNode::asText)
                .containsExactlyElementsOf(ids.subList(3, 100));
    }

    @Test
    void anotherTenantsKeyFindsNoneOfTheRunsAndLearnsNothingOfThem() throws Exception {
        Platform.Reply reply = compare(b, runA + "," + runB + "," + runC);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body())
                .isEqualTo(json("{'runs': [], 'not_found': ['A', 'B', 'C'], 'param_diff': {}, 'shared_params': {},"
                        + " 'metrics': {}}"));

        Platform.Reply mixed = compare(b, foreignRun + "," + runA);
        assertThat(mixed.body().get("runs"))
                .extracting(run -> run.get("run_id").asText())
                .containsExactly(foreignRun);
        assertThat(mixed.body().get("not_found")).extracting(JsonNode::asText).containsExactly(runA);
        assertThat(mixed.body().get("shared_params")).isEqualTo(json("{'batch_size': '1024', 'lr': '0.001'}"));
        assertThat(mixed.body().get("param_diff")).isEmpty();
        assertThat(mixed.body().get("metrics")).isEmpty();

        Platform.Reply own = compare(a, foreignRun);
        assertThat(own.body().get("runs")).isEmpty();
        assertThat(own.body().get("not_found")).extracting(JsonNode::asText).containsExactly(foreignRun);
    }

    @Test
    void badRequestsAre400WithTheParam() throws Exception {
        String hundredAndOne =
                IntStream.rangeClosed(1, 101).mapToObj(i -> "run-" + i).collect(Collectors.joining(","));
        for (String query : List.of("", "?run_ids=", "?run_ids=%2C%2C", "?run_ids=" + hundredAndOne)) {
            Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/compare" + query, a.readKey());
            assertThat(reply.status()).as("%s: %s", query, reply.body()).isEqualTo(400);
            JsonNode error = reply.body().get("error");
            assertThat(error.get("code").asText()).isEqualTo("invalid_run_ids");
            assertThat(error.get("details").get("param").asText()).isEqualTo("run_ids");
        }
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/compare?run_ids=" + runA, a.ingestKey())
                        .status())
                .as("an ingest-only key may not read")
                .isEqualTo(403);
    }

    private static Platform.Reply compare(TestTenant tenant, String runIds) throws Exception {
        return Platform.get(
                Platform.QUERY_URL + "/api/v1/compare?run_ids=" + URLEncoder.encode(runIds, StandardCharsets.UTF_8),
                tenant.readKey());
    }

    /** JSON written with single quotes, where the names A, B and C stand for the three runs' ids. */
    private static JsonNode json(String text) throws Exception {
        String withIds = text.replace('\'', '"')
                .replace("\"A\"", "\"" + runA + "\"")
                .replace("\"B\"", "\"" + runB + "\"")
                .replace("\"C\"", "\"" + runC + "\"");
        return Platform.JSON.readTree(withIds);
    }

    private static ObjectNode started(
            TestTenant tenant, String runId, String name, String user, Instant time, String... params) {
        ObjectNode data = Events.data().put("team", "vision").put("name", name).put("user", user);
        ObjectNode map = data.putObject("params");
        for (int i = 0; i < params.length; i += 2) {
            map.put(params[i], params[i + 1]);
        }
        return at(Events.event(tenant.id(), PROJECT, runId, "started", data), time);
    }

    private static ObjectNode metrics(TestTenant tenant, String runId, ObjectNode... points) {
        ObjectNode data = Events.data();
        var array = data.putArray("metrics");
        for (ObjectNode point : points) {
            array.add(point);
        }
        return Events.event(tenant.id(), PROJECT, runId, "metrics", data);
    }

    private static ObjectNode point(String key, int step, double value) {
        return Platform.JSON
                .createObjectNode()
                .put("key", key)
                .put("value", value)
                .put("step", step);
    }

    /** A point with one of the values JSON has no number for: "NaN", "Infinity", "-Infinity". */
    private static ObjectNode point(String key, int step, String value) {
        return Platform.JSON
                .createObjectNode()
                .put("key", key)
                .put("value", value)
                .put("step", step);
    }

    private static ObjectNode at(ObjectNode event, Instant time) {
        return event.put("time", time.toString());
    }
}
