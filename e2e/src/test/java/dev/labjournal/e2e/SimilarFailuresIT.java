package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Similar failures and failure groups through the public API: across the teams of a tenant, with why each run matched
 * and how many share the group, and never across tenants. Tenant A has the same CUDA out-of-memory failure in two
 * teams (the same training script checked out on other machines; other sizes, devices and layers), a NaN failure and a run that succeeded; tenant B has the same
 * out-of-memory failure too, so its group id is the same and a query that forgot the tenant would count it.
 */
class SimilarFailuresIT {

    private static final String PROJECT = "similar";

    private static TestTenant a;
    private static TestTenant b;
    private static final String OOM_VISION = "oom-vision-" + UUID.randomUUID();
    private static final String OOM_NLP = "oom-nlp-" + UUID.randomUUID();
    private static final String NAN = "nan-" + UUID.randomUUID();
    private static final String SUCCEEDED = "ok-" + UUID.randomUUID();
    private static final String OOM_OF_B = "oom-b-" + UUID.randomUUID();

    @BeforeAll
    static void runsOfTwoTenants() throws Exception {
        a = TestTenant.create("similar-a");
        b = TestTenant.create("similar-b");
        Platform.Reply ofA = Events.postBatch(
                a.ingestKey(),
                started(a, OOM_VISION, "vision"),
                failed(a, OOM_VISION, "torch.cuda.OutOfMemoryError", oom("/home/ada/vision", "2.00", 3, "conv")),
                started(a, OOM_NLP, "nlp"),
                failed(
                        a,
                        OOM_NLP,
                        "torch.cuda.OutOfMemoryError",
                        oom("/workspace/checkouts/vision", "11.47", 0, "linear")),
                started(a, NAN, "nlp"),
                failed(a, NAN, "RuntimeError", nan()),
                started(a, SUCCEEDED, "vision"),
                Events.finished(a.id(), PROJECT, SUCCEEDED, "succeeded"));
        assertThat(ofA.status()).as("%s", ofA.body()).isEqualTo(202);
        Platform.Reply ofB = Events.postBatch(
                b.ingestKey(),
                started(b, OOM_OF_B, "speech"),
                failed(b, OOM_OF_B, "torch.cuda.OutOfMemoryError", oom("/mnt/asr", "4.00", 1, "conv")));
        assertThat(ofB.status()).as("%s", ofB.body()).isEqualTo(202);
        awaitFailedRuns(a, 3);
        awaitFailedRuns(b, 1);
    }

    private static ObjectNode started(TestTenant tenant, String runId, String team) {
        ObjectNode data =
                Events.data().put("team", team).put("name", "run " + runId).put("user", "ada");
        return Events.event(tenant.id(), PROJECT, runId, "started", data);
    }

    private static ObjectNode failed(TestTenant tenant, String runId, String type, String stacktrace) {
        String last = stacktrace.strip().lines().reduce((x, y) -> y).orElseThrow();
        ObjectNode data = Events.data().put("status", "failed");
        data.putObject("failure")
                .put("type", type)
                .put("message", last.substring(last.indexOf(": ") + 2))
                .put("stacktrace", stacktrace);
        return Events.event(tenant.id(), PROJECT, runId, "finished", data);
    }

    private static String oom(String root, String gib, int gpu, String layer) {
        String lib = "/opt/conda/lib/python3.11/site-packages/torch/nn/modules/";
        return "Traceback (most recent call last):\n"
                + "  File \"" + root + "/train.py\", line 88, in main\n    trainer.fit(model)\n"
                + "  File \"" + lib + "module.py\", line 1520, in _call_impl\n    return forward_call(*args)\n"
                + ("conv".equals(layer)
                        ? "  File \"" + lib + "conv.py\", line 456, in _conv_forward\n    return F.conv2d(input)\n"
                        : "  File \"" + lib + "linear.py\", line 116, in forward\n    return F.linear(input)\n")
                + "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate " + gib + " GiB. GPU " + gpu
                + " has a total capacity of 79.15 GiB of which 1" + gpu + ".25 MiB is free.\n";
    }

    private static String nan() {
        return "Traceback (most recent call last):\n"
                + "  File \"/workspace/llm/train.py\", line 91, in main\n    loss.backward()\n"
                + "  File \"/opt/conda/lib/python3.11/site-packages/torch/_tensor.py\", line 522, in backward\n"
                + "    torch.autograd.backward(self)\n"
                + "RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its 0th output.\n";
    }

    private static void awaitFailedRuns(TestTenant tenant, int count) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> search(tenant, "attributes.status = 'failed'").size() == count);
    }

    @Test
    void similarFailuresAreTheSameFailureInAnotherTeamWithWhyAndTheGroupCount() throws Exception {
        Platform.Reply reply = similar(a, OOM_VISION, 5);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.get("group_count").asLong()).isEqualTo(2);
        assertThat(body.get("exception_type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(body.get("normalised_message").asText())
                .isEqualTo("CUDA out of memory. Tried to allocate <size>. GPU <n> has a total capacity of <size> of"
                        + " which <size> is free.");
        List<String> ids = runIds(body.get("similar"));
        assertThat(ids).as("the OOM of the other team first; never tenant B's").startsWith(OOM_NLP);
        assertThat(ids).doesNotContain(OOM_OF_B, OOM_VISION, SUCCEEDED);
        JsonNode first = body.get("similar").get(0);
        assertThat(first.get("team").asText()).isEqualTo("nlp");
        assertThat(first.get("failure_group").asText())
                .isEqualTo(body.get("failure_group").asText());
        JsonNode why = first.get("why");
        assertThat(why.get("same_group").asBoolean()).isTrue();
        assertThat(why.get("same_message").asBoolean()).isTrue();
        assertThat(texts(why.get("exception_types"))).containsExactly("OutOfMemoryError");
        assertThat(texts(why.get("library_frames"))).containsExactly("torch/nn/modules/module.py:_call_impl");
        assertThat(texts(why.get("app_frames")))
                .as("the same project file, checked out elsewhere")
                .containsExactly("vision/train.py:main");

        Platform.Reply detail = Runs.get(a.readKey(), OOM_VISION);
        assertThat(detail.body().get("failure_group").asText())
                .as("run detail shows the group")
                .isEqualTo(body.get("failure_group").asText());
    }

    @Test
    void aRunThatDidNotFailHasNoGroupAndNoSimilarFailures() throws Exception {
        Platform.Reply reply = similar(a, SUCCEEDED, 5);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("failure_group").isNull()).isTrue();
        assertThat(reply.body().get("similar")).isEmpty();
    }

    @Test
    void failureGroupsCountRunsAndTeamsOfTheTenantOnly() throws Exception {
        String group = similar(a, OOM_VISION, 1).body().get("failure_group").asText();
        assertThat(similar(b, OOM_OF_B, 1).body().get("failure_group").asText())
                .as("the same failure has the same group in every tenant")
                .isEqualTo(group);

        Platform.Reply list = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups", a.readKey());
        assertThat(list.status()).as("%s", list.body()).isEqualTo(200);
        JsonNode groups = list.body().get("groups");
        assertThat(groups).hasSize(2);
        JsonNode oom = groups.get(0);
        assertThat(oom.get("group").asText()).as("most runs first").isEqualTo(group);
        assertThat(oom.get("count").asLong()).isEqualTo(2);
        assertThat(teams(oom)).isEqualTo(Map.of("nlp", 1L, "vision", 1L));
        assertThat(oom.get("exception_type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(List.of(OOM_VISION, OOM_NLP))
                .contains(oom.get("example_run_id").asText());
        assertThat(oom.get("first_seen").asText()).isNotBlank();
        assertThat(oom.get("last_seen").asText()).isNotBlank();

        Platform.Reply one = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups/" + group, a.readKey());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().get("count").asLong()).isEqualTo(2);
        assertThat(texts(one.body().get("recent_runs"))).containsExactlyInAnyOrder(OOM_VISION, OOM_NLP);

        Platform.Reply ofB = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups/" + group, b.readKey());
        assertThat(ofB.body().get("count").asLong()).isEqualTo(1);
        assertThat(teams(ofB.body())).isEqualTo(Map.of("speech", 1L));
        assertThat(texts(ofB.body().get("recent_runs"))).containsExactly(OOM_OF_B);

        assertThat(search(a, "attributes.failure_group = '" + group + "'"))
                .containsExactlyInAnyOrder(OOM_VISION, OOM_NLP);
        assertThat(search(b, "attributes.failure_group = '" + group + "'")).containsExactly(OOM_OF_B);
    }

    @Test
    void anotherTenantSeesNothingByIdByListOrByGroup() throws Exception {
        assertThat(similar(b, OOM_VISION, 5).status())
                .as("another tenant's run id")
                .isEqualTo(404);
        Platform.Reply ofB = similar(b, OOM_OF_B, 5);
        assertThat(ofB.status()).isEqualTo(200);
        assertThat(ofB.body().get("similar")).as("A's runs of the same group").isEmpty();
        assertThat(ofB.body().get("group_count").asLong()).isEqualTo(1);

        String nanGroup = similar(a, NAN, 1).body().get("failure_group").asText();
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups/" + nanGroup, b.readKey())
                        .status())
                .as("a group only tenant A has")
                .isEqualTo(404);
        JsonNode listOfB = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups", b.readKey())
                .body()
                .get("groups");
        assertThat(listOfB).hasSize(1);
        assertThat(teams(listOfB.get(0))).isEqualTo(Map.of("speech", 1L));
    }

    @Test
    void badParametersAreClearErrors() throws Exception {
        Platform.Reply limit = similar(a, OOM_VISION, 0);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.body().get("error").get("code").asText()).isEqualTo("invalid_limit");
        Platform.Reply days = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups?days=0", a.readKey());
        assertThat(days.status()).isEqualTo(400);
        assertThat(days.body().get("error").get("code").asText()).isEqualTo("invalid_days");
        Platform.Reply group = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups/not-a-group", a.readKey());
        assertThat(group.status()).isEqualTo(400);
        assertThat(group.body().get("error").get("code").asText()).isEqualTo("invalid_failure_group");
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups/000000000000", a.readKey())
                        .status())
                .isEqualTo(404);
        assertThat(similar(a, "no-such-run", 5).status()).isEqualTo(404);
    }

    private static Platform.Reply similar(TestTenant tenant, String runId, int limit) throws Exception {
        return Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/" + runId + "/similar-failures?limit=" + limit, tenant.readKey());
    }

    private static List<String> search(TestTenant tenant, String filter) throws Exception {
        Platform.Reply reply = Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/search?limit=50&filter="
                        + URLEncoder.encode(filter, StandardCharsets.UTF_8),
                tenant.readKey());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return runIds(reply.body().get("runs"));
    }

    private static List<String> runIds(JsonNode runs) {
        List<String> ids = new ArrayList<>();
        runs.forEach(run -> ids.add(run.get("run_id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Map<String, Long> teams(JsonNode group) {
        Map<String, Long> teams = new TreeMap<>();
        group.get("teams")
                .forEach(t -> teams.put(t.get("team").asText(), t.get("count").asLong()));
        return teams;
    }
}
