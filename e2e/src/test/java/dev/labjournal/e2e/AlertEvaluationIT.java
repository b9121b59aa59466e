package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rule evaluation end to end: runs published over HTTP ingest, alerts read from PostgreSQL's alerts table (the
 * document every channel carries). Every baseline type, the tolerance edges, live against on-finish, failures, new
 * failure groups, lost and duplicate runs, a replayed topic, and the filter of a rule checked against the search
 * API's answer for the same filter. Expected alerts are worked out here from the values the test publishes.
 */
class AlertEvaluationIT {

    private static TestTenant tenant;
    private static String writer;

    /** Tenant B, with the same project names, rules and runs of its own. */
    private record Other(TestTenant tenant, String writer) {}

    private static Other other;

    @BeforeAll
    static void aTenantWithARuleWriter() throws Exception {
        Platform.ensureUp();
        tenant = TestTenant.create("alerts");
        writer = tenant.issueKey("alerts").secret();
        TestTenant b = TestTenant.create("alerts-b");
        other = new Other(b, b.issueKey("alerts").secret());
    }

    @Test
    void doneWhen_bestWithFivePercent_threeRunsAt050_040_045_oneAlertForTheThird() throws Exception {
        String project = project("done-when");
        String rule = rule(project, "\"baseline\": {\"type\": \"best\"}, \"tolerance\": {\"relative\": 0.05}");
        String otherRule = created(
                other.writer(),
                "{\"name\": \"B's\", \"project\": \"" + project + "\", \"kind\": \"metric_regression\","
                        + " \"metric\": \"val_loss\", \"goal\": \"minimize\", \"baseline\": {\"type\": \"best\"},"
                        + " \"channels\": [{\"type\": \"sse\"}]}");
        List<String> runs = new ArrayList<>();
        for (double value : new double[] {0.50, 0.40}) {
            runs.add(finish(project, value, "succeeded"));
        }
        String otherRun = finish(other.tenant(), project, 0.10, "succeeded");
        runs.add(finish(project, 0.45, "succeeded"));
        String otherWorse = finish(other.tenant(), project, 0.20, "succeeded");
        settled();
        assertThat(byRun(StoredAlerts.ofRule(other.tenant().id(), otherRule)))
                .as("tenant B's rule judged B's runs against B's baseline only")
                .isEqualTo(Map.of(otherWorse, List.of(otherRun)));
        assertThat(StoredAlerts.ofTenant(other.tenant().id()))
                .as("no alert of A's rules in B")
                .allSatisfy(a -> assertThat(a.get("rule_id").asText()).isEqualTo(otherRule));
        List<JsonNode> alerts = StoredAlerts.ofRule(tenant.id(), rule);
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.get("run_id").asText()).isEqualTo(runs.get(2));
        assertThat(alert.get("observed").asDouble()).isEqualTo(0.45);
        assertThat(alert.get("baseline").asDouble()).isEqualTo(0.40);
        assertThat(ids(alert.get("baseline_run_ids"))).containsExactly(runs.get(1));
        assertThat(alert.get("delta").asDouble()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(alert.get("relative_delta").asDouble()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(alert.get("kind").asText()).isEqualTo("metric_regression");
        assertThat(alert.get("rule_id").asText()).isEqualTo(rule);
        assertThat(alert.get("metric").asText()).isEqualTo("val_loss");
        assertThat(alert.get("project").asText()).isEqualTo(project);
        assertThat(alert.get("step").asLong()).isEqualTo(10);
        assertThat(alert.get("id").asText()).startsWith("alrt_");
        assertThat(alert.has("tenant")).isFalse();
        assertThat(alert.get("links").get("run").asText()).isEqualTo("/api/v1/runs/" + runs.get(2));
        assertThat(alert.get("links").get("compare").asText())
                .isEqualTo("/api/v1/compare?run_ids=" + runs.get(2) + "," + runs.get(1));
        assertThat(alert.get("failure").isNull()).isTrue();
        assertThat(alert.get("duplicates").isNull()).isTrue();
    }

    /** previous and mean_of_last take only succeeded runs: a killed and a failed run between never count. */
    @Test
    void previousAndMeanOfLastTakeSucceededRunsOnly() throws Exception {
        String project = project("previous");
        String previous = rule(project, "\"baseline\": {\"type\": \"previous\"}, \"tolerance\": {\"absolute\": 0.25}");
        String mean = rule(
                project,
                "\"goal\": \"maximize\", \"baseline\": {\"type\": \"mean_of_last\", \"n\": 2},"
                        + " \"tolerance\": {\"absolute\": 0}",
                "maximize");
        record Published(String runId, double value, String status) {}
        List<Published> published = new ArrayList<>();
        double[] values = {1.0, 2.0, 9.0, 3.0, 0.5, 2.5};
        String[] statuses = {"succeeded", "succeeded", "killed", "succeeded", "failed", "succeeded"};
        for (int i = 0; i < values.length; i++) {
            published.add(new Published(finish(project, values[i], statuses[i]), values[i], statuses[i]));
        }
        settled();
        Map<String, List<String>> expectPrevious = new LinkedHashMap<>();
        Map<String, List<String>> expectMean = new LinkedHashMap<>();
        List<Published> succeeded = new ArrayList<>();
        for (Published run : published) {
            if (!succeeded.isEmpty()) {
                Published last = succeeded.get(succeeded.size() - 1);
                if (run.value() - last.value() > 0.25) {
                    expectPrevious.put(run.runId(), List.of(last.runId()));
                }
                List<Published> lastTwo = succeeded.subList(Math.max(0, succeeded.size() - 2), succeeded.size());
                double sum = 0;
                for (Published p : lastTwo) {
                    sum += p.value();
                }
                if (run.value() < sum / lastTwo.size()) {
                    List<String> ids = new ArrayList<>();
                    for (int i = lastTwo.size() - 1; i >= 0; i--) {
                        ids.add(lastTwo.get(i).runId());
                    }
                    expectMean.put(run.runId(), ids);
                }
            }
            if (run.status().equals("succeeded")) {
                succeeded.add(run);
            }
        }
        assertThat(byRun(StoredAlerts.ofRule(tenant.id(), previous))).isEqualTo(expectPrevious);
        assertThat(byRun(StoredAlerts.ofRule(tenant.id(), mean))).isEqualTo(expectMean);
        assertThat(expectPrevious)
                .as("the test's own expectation is not trivial")
                .isNotEmpty();
        assertThat(expectMean).isNotEmpty();
    }

    @Test
    void aPinnedRunIsTheBaselineOfEveryOtherRun() throws Exception {
        String project = project("pinned");
        String pinned = finish(project, 0.30, "succeeded");
        String rule = rule(
                project,
                "\"baseline\": {\"type\": \"run\", \"run_id\": \"" + pinned
                        + "\"}, \"tolerance\": {\"absolute\": 0.05}");
        String better = finish(project, 0.29, "succeeded");
        String worse = finish(project, 0.40, "succeeded");
        settled();
        assertThat(byRun(StoredAlerts.ofRule(tenant.id(), rule))).isEqualTo(Map.of(worse, List.of(pinned)));
        assertThat(better).isNotEqualTo(worse);
    }

    /** Threshold 1.0, absolute tolerance 0.5 (exact binary fractions): equal and inside are fine, outside and NaN fire. */
    @Test
    void toleranceEdgesAgainstAThreshold() throws Exception {
        String project = project("edges");
        String rule = rule(
                project, "\"baseline\": {\"type\": \"threshold\", \"value\": 1.0}, \"tolerance\": {\"absolute\": 0.5}");
        String equal = finish(project, 1.5, "succeeded");
        String inside = finish(project, 1.25, "succeeded");
        String outside = finish(project, 1.75, "succeeded");
        String nan = finish(project, Double.NaN, "failed");
        String infinite = finish(project, Double.NEGATIVE_INFINITY, "succeeded");
        settled();
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        StoredAlerts.ofRule(tenant.id(), rule)
                .forEach(a -> alerts.put(a.get("run_id").asText(), a));
        assertThat(alerts.keySet()).containsExactlyInAnyOrder(outside, nan, infinite);
        assertThat(alerts).doesNotContainKeys(equal, inside);
        assertThat(alerts.get(nan).get("observed").asText()).isEqualTo("NaN");
        assertThat(alerts.get(nan).get("delta").asText()).isEqualTo("NaN");
        assertThat(alerts.get(infinite).get("observed").asText()).isEqualTo("-Infinity");
        assertThat(alerts.get(outside).get("baseline").asDouble()).isEqualTo(1.0);
        assertThat(alerts.get(outside).get("baseline_run_ids")).isEmpty();
        assertThat(alerts.get(outside).get("delta").asDouble()).isEqualTo(0.75);
    }

    /** The first run of a project has no baseline: nothing fires, not even for NaN. */
    @Test
    void noBaselineFiresNothing() throws Exception {
        String project = project("first");
        String rule = rule(project, "\"baseline\": {\"type\": \"best\"}, \"tolerance\": {\"relative\": 0.05}");
        String previous = rule(project, "\"baseline\": {\"type\": \"previous\"}");
        finish(project, Double.NaN, "succeeded");
        settled();
        assertThat(StoredAlerts.ofRule(tenant.id(), rule)).isEmpty();
        assertThat(StoredAlerts.ofRule(tenant.id(), previous)).isEmpty();
    }

    /**
     * Baseline run B ends with val_loss 10 - step at even steps. A live rule (min_step 5) compares the running run L
     * with B at the same step (nearest earlier step of B's curve); an on_finish rule compares L's last value with
     * B's last value. L: step 3 = 100 (before min_step), step 5 = 5.5 (B at 4: 6, better), step 7 = 6.0 (B at 6:
     * 4, worse by 2), then it finishes at step 10 with 0.0 (better than B's 0): only the live rule fires, at step 7.
     */
    @Test
    void liveComparesWithTheBaselineCurveAtTheSameStepAndOnFinishWithTheLastValue() throws Exception {
        String project = project("live");
        String live = rule(
                project,
                "\"baseline\": {\"type\": \"previous\"}, \"tolerance\": {\"absolute\": 0.5}, \"evaluate\": \"live\","
                        + " \"min_step\": 5");
        String onFinish = rule(project, "\"baseline\": {\"type\": \"previous\"}, \"tolerance\": {\"absolute\": 0.5}");
        String baseline = runId("live-baseline");
        ObjectNode points = Events.data();
        var array = points.putArray("metrics");
        for (int step = 0; step <= 10; step += 2) {
            array.addObject().put("key", "val_loss").put("value", 10.0 - step).put("step", step);
        }
        post(
                Events.started(tenant.id(), project, baseline, "baseline"),
                Events.event(tenant.id(), project, baseline, "metrics", points),
                Events.finished(tenant.id(), project, baseline, "succeeded"));
        awaitStatus(baseline, "succeeded");

        String run = runId("live");
        post(Events.started(tenant.id(), project, run, "live"));
        awaitStatus(run, "running");
        for (long[] point : new long[][] {{3, 100}, {5, 55}, {7, 60}, {10, 0}}) {
            post(point(project, run, point[0], point[1] / (point[0] == 5 || point[0] == 7 ? 10.0 : 1.0)));
            long step = point[0];
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Long.valueOf(step).equals(StoredAlerts.lastStep(tenant.id(), run, "val_loss")));
        }
        post(Events.finished(tenant.id(), project, run, "succeeded"));
        awaitStatus(run, "succeeded");
        settled();

        List<JsonNode> alerts = StoredAlerts.ofRule(tenant.id(), live);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("step").asLong()).isEqualTo(7);
        assertThat(alerts.get(0).get("observed").asDouble()).isEqualTo(6.0);
        assertThat(alerts.get(0).get("baseline").asDouble()).as("B at step 6").isEqualTo(4.0);
        assertThat(ids(alerts.get(0).get("baseline_run_ids"))).containsExactly(baseline);
        assertThat(StoredAlerts.ofRule(tenant.id(), onFinish)).isEmpty();
    }

    /**
     * run_failed fires for every failure, new_failure_group for the first run of a group only: two runs fail with
     * the same error, a third with another.
     */
    @Test
    void failuresAndNewFailureGroups() throws Exception {
        String project = project("failures");
        String failed = kindRule(project, "run_failed");
        String newGroup = kindRule(project, "new_failure_group");
        String first =
                failing(project, "torch.cuda.OutOfMemoryError", "CUDA out of memory. Tried to allocate 2.00 GiB");
        String second =
                failing(project, "torch.cuda.OutOfMemoryError", "CUDA out of memory. Tried to allocate 4.00 GiB");
        String other = failing(project, "loaders.DataLoaderError", "worker 3 exited unexpectedly");
        String succeeded = finish(project, 1.0, "succeeded");
        settled();
        assertThat(runIds(StoredAlerts.ofRule(tenant.id(), failed))).containsExactlyInAnyOrder(first, second, other);
        assertThat(runIds(StoredAlerts.ofRule(tenant.id(), newGroup))).containsExactlyInAnyOrder(first, other);
        JsonNode alert = StoredAlerts.ofRule(tenant.id(), failed).get(0);
        assertThat(alert.get("failure").get("type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(alert.get("failure").get("group").asText()).isNotBlank();
        assertThat(alert.get("metric").isNull()).isTrue();
        assertThat(runIds(StoredAlerts.ofTenant(tenant.id()))).doesNotContain(succeeded);
    }

    /** A group seen before the rule existed is not new to it: the groups of every failed run are recorded. */
    @Test
    void aGroupSeenBeforeTheRuleIsNotNew() throws Exception {
        String project = project("seen");
        failing(project, "seen.BeforeTheRuleError", "shard 7 is corrupt");
        settled();
        String rule = kindRule(project, "new_failure_group");
        failing(project, "seen.BeforeTheRuleError", "shard 9 is corrupt");
        String fresh = failing(project, "seen.AfterTheRuleError", "no space left on device");
        settled();
        assertThat(runIds(StoredAlerts.ofRule(tenant.id(), rule))).containsExactly(fresh);
    }

    /** A run started with the fingerprint of earlier runs carries how they ended; a run with other params does not. */
    @Test
    void duplicateRunsCarryHowTheEarlierOnesEnded() throws Exception {
        String project = project("duplicates");
        String rule = kindRule(project, "duplicate_run");
        String original = failing(project, "ValueError", "bad");
        String repeat = runId("repeat");
        post(Events.started(tenant.id(), project, repeat, "repeat"));
        awaitStatus(repeat, "running");
        String different = runId("different");
        ObjectNode started = Events.started(tenant.id(), project, different, "different");
        ((ObjectNode) started.get("data").get("params")).put("lr", "0.5");
        post(started);
        awaitStatus(different, "running");
        settled();
        List<JsonNode> alerts = StoredAlerts.ofRule(tenant.id(), rule);
        assertThat(runIds(alerts)).containsExactly(repeat);
        JsonNode duplicates = alerts.get(0).get("duplicates");
        assertThat(duplicates).hasSize(1);
        assertThat(duplicates.get(0).get("run_id").asText()).isEqualTo(original);
        assertThat(duplicates.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(duplicates.get(0).get("failure_type").asText()).isEqualTo("ValueError");
    }

    /**
     * run_lost: ingest's LostRunSweeper marks a silent run lost in PostgreSQL and re-announces it on run-changes
     * (version only). The test does what the sweeper does (this platform's lost-after is long), then replays the
     * announcement: one alert.
     */
    @Test
    void aLostRunFiresRunLostOnce() throws Exception {
        String project = project("lost");
        String rule = kindRule(project, "run_lost");
        String run = runId("silent");
        post(Events.started(tenant.id(), project, run, "silent"));
        awaitStatus(run, "running");
        long version;
        try (var conn = Database.connect();
                var st = conn.prepareStatement("UPDATE runs SET status = 'lost', version = version + 1"
                        + " WHERE tenant_id = ? AND run_id = ? RETURNING version")) {
            st.setString(1, tenant.id());
            st.setString(2, run);
            try (var rs = st.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
        }
        String announcement =
                "{\"tenant\": \"" + tenant.id() + "\", \"run_id\": \"" + run + "\", \"version\": " + version + "}";
        Kcat.produce("labjournal.run-changes", List.of(new Kcat.KeyedLine(tenant.id() + ":" + run, announcement)));
        Kcat.produce("labjournal.run-changes", List.of(new Kcat.KeyedLine(tenant.id() + ":" + run, announcement)));
        settled();
        assertThat(runIds(StoredAlerts.ofRule(tenant.id(), rule))).containsExactly(run);
    }

    /** Replaying the run-changes of runs that fired (the same messages again) fires nothing new. */
    @Test
    void aReplayFiresNothingNew() throws Exception {
        String project = project("replay");
        String rule = kindRule(project, "run_failed");
        String run = failing(project, "RuntimeError", "boom");
        settled();
        List<JsonNode> before = StoredAlerts.ofTenant(tenant.id());
        assertThat(runIds(StoredAlerts.ofRule(tenant.id(), rule))).containsExactly(run);
        String replayed = "{\"tenant\": \"" + tenant.id() + "\", \"run_id\": \"" + run + "\", \"version\": 3,"
                + " \"status\": \"failed\", \"finished\": true, \"failed\": true, \"metrics\": [], \"tags\": {},"
                + " \"params\": {}}";
        Kcat.produce(
                "labjournal.run-changes",
                List.of(
                        new Kcat.KeyedLine(tenant.id() + ":" + run, replayed),
                        new Kcat.KeyedLine(tenant.id() + ":" + run, replayed)));
        settled();
        assertThat(StoredAlerts.ofTenant(tenant.id()).stream()
                        .map(a -> a.get("id").asText())
                        .toList())
                .isEqualTo(before.stream().map(a -> a.get("id").asText()).toList());
    }

    /**
     * The rule's filter is evaluated in memory against the run as PostgreSQL has it; the search API answers the same
     * filter from OpenSearch. For each filter, the failed runs a run_failed rule fired for are exactly the failed
     * runs the search returns.
     */
    @Test
    void aRulesFilterSelectsTheRunsTheSearchSelects() throws Exception {
        String project = project("filters");
        List<String> filters = List.of(
                "params.lr = '0.1'",
                "params.lr != '0.1'",
                "tags.env = 'prod' OR tags.env = 'dev'",
                "tags.env IS NULL",
                "attributes.run_name LIKE 'fx-%'",
                "attributes.run_name ILIKE 'FY-%'",
                "attributes.failure_type IN ('KeyError', 'ValueError')",
                "attributes.failure_type NOT IN ('KeyError')",
                "metrics.loss > 0.5",
                "metrics.loss != 0.25",
                "params.lr = '0.1' AND (tags.env = 'prod' OR metrics.loss <= 0.25)");
        Map<String, String> rules = new LinkedHashMap<>();
        for (String filter : filters) {
            rules.put(filter, filterRule(project, filter));
        }
        record Row(String name, String lr, String env, String failure, double loss) {}
        List<Row> rows = List.of(
                new Row("fx-1", "0.1", "prod", "KeyError", 0.75),
                new Row("fx-2", "0.2", "dev", "ValueError", 0.25),
                new Row("fy-3", "0.1", null, "RuntimeError", Double.NaN),
                new Row("fy-4", "0.3", "prod", "KeyError", 0.5),
                new Row("fz-5", "0.1", "dev", "ValueError", 0.1));
        List<String> runs = new ArrayList<>();
        for (Row row : rows) {
            String run = runId(row.name());
            runs.add(run);
            ObjectNode started = Events.started(tenant.id(), project, run, row.name());
            ((ObjectNode) started.get("data").get("params")).put("lr", row.lr());
            if (row.env() != null) {
                ((ObjectNode) started.get("data").get("tags")).put("env", row.env());
            }
            ObjectNode data = Events.data();
            data.putArray("metrics")
                    .addObject()
                    .put("key", "loss")
                    .put("value", Double.isNaN(row.loss()) ? null : row.loss())
                    .put("step", 1);
            if (Double.isNaN(row.loss())) {
                ((ObjectNode) data.get("metrics").get(0)).put("value", "NaN");
            }
            post(
                    started,
                    Events.event(tenant.id(), project, run, "metrics", data),
                    Events.failed(
                            tenant.id(), project, run, row.failure(), row.failure() + ": failed\n  at x.y(Z.java:1)"));
            awaitStatus(run, "failed");
        }
        settled();
        for (String run : runs) {
            Searching.awaitHit(tenant.readKey(), "", run);
        }
        Map<String, Set<String>> answers = new LinkedHashMap<>();
        for (String filter : filters) {
            Set<String> searched = new HashSet<>();
            Platform.Reply reply = Platform.get(
                    Platform.QUERY_URL + "/api/v1/runs/search?limit=100&filter="
                            + URLEncoder.encode(
                                    "attributes.project = '" + project + "' AND (" + filter + ")",
                                    StandardCharsets.UTF_8),
                    tenant.readKey());
            assertThat(reply.status()).as("%s: %s", filter, reply.body()).isEqualTo(200);
            reply.body().get("runs").forEach(r -> searched.add(r.get("run_id").asText()));
            assertThat(new HashSet<>(runIds(StoredAlerts.ofRule(tenant.id(), rules.get(filter)))))
                    .as("alerts of the rule with filter %s", filter)
                    .isEqualTo(searched);
            answers.put(filter, searched);
        }
        assertThat(answers.get("params.lr = '0.1'"))
                .as("the search answers are not trivial")
                .containsExactlyInAnyOrder(runs.get(0), runs.get(2), runs.get(4));
        assertThat(answers.get("metrics.loss != 0.25"))
                .as("a NaN metric matches no comparison")
                .containsExactlyInAnyOrder(runs.get(0), runs.get(3), runs.get(4));
        assertThat(answers.get("tags.env IS NULL")).containsExactly(runs.get(2));
    }

    private static String project(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String runId(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static String rule(String project, String baselineAndTolerance) throws Exception {
        return rule(project, baselineAndTolerance, "minimize");
    }

    private static String rule(String project, String members, String goal) throws Exception {
        String body = "{\"name\": \"val_loss in " + project + "\", \"project\": \"" + project + "\","
                + " \"kind\": \"metric_regression\", \"metric\": \"val_loss\", "
                + (members.contains("\"goal\"") ? "" : "\"goal\": \"" + goal + "\", ") + members
                + ", \"channels\": [{\"type\": \"sse\"}]}";
        return created(body);
    }

    private static String kindRule(String project, String kind) throws Exception {
        return created("{\"name\": \"" + kind + " in " + project + "\", \"project\": \"" + project + "\", \"kind\": \""
                + kind + "\", \"channels\": [{\"type\": \"kafka\"}]}");
    }

    private static String filterRule(String project, String filter) throws Exception {
        ObjectNode body = Platform.JSON
                .createObjectNode()
                .put("name", filter)
                .put("project", project)
                .put("filter", filter)
                .put("kind", "run_failed");
        body.putArray("channels").addObject().put("type", "sse");
        return created(body.toString());
    }

    private static String created(String body) throws Exception {
        return created(writer, body);
    }

    private static String created(String key, String body) throws Exception {
        return AlertRules.create(key, body).get("id").asText();
    }

    /** A run that logs val_loss at step 10 and finishes with {@code status}; returns once PostgreSQL has it. */
    private static String finish(String project, double value, String status) throws Exception {
        return finish(tenant, project, value, status);
    }

    private static String finish(TestTenant tenant, String project, double value, String status) throws Exception {
        String run = runId("run");
        ObjectNode data = Events.data();
        ObjectNode point =
                data.putArray("metrics").addObject().put("key", "val_loss").put("step", 10);
        if (Double.isFinite(value)) {
            point.put("value", value);
        } else {
            point.put("value", Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
        ObjectNode end = status.equals("failed")
                ? Events.failed(
                        tenant.id(), project, run, "FloatingPointError", "FloatingPointError: nan\n  at a.b(C.java:1)")
                : Events.finished(tenant.id(), project, run, status);
        post(
                tenant,
                Events.started(tenant.id(), project, run, "run"),
                Events.event(tenant.id(), project, run, "metrics", data),
                end);
        awaitStatus(tenant, run, status);
        return run;
    }

    private static String failing(String project, String type, String message) throws Exception {
        String run = runId("failing");
        ObjectNode failed = Events.failed(
                tenant.id(), project, run, type, type + ": " + message + "\n  at train.step(train.py:42)");
        ((ObjectNode) failed.get("data").get("failure")).put("message", message);
        post(Events.started(tenant.id(), project, run, "failing"), failed);
        awaitStatus(run, "failed");
        return run;
    }

    private static ObjectNode point(String project, String run, long step, double value) {
        ObjectNode data = Events.data();
        data.putArray("metrics")
                .addObject()
                .put("key", "val_loss")
                .put("value", value)
                .put("step", step);
        return Events.event(tenant.id(), project, run, "metrics", data);
    }

    private static void post(ObjectNode... events) throws Exception {
        post(tenant, events);
    }

    private static void post(TestTenant tenant, ObjectNode... events) throws Exception {
        Platform.Reply reply = Events.postBatch(tenant.ingestKey(), events);
        assertThat(reply.status()).as("ingest: %s", reply.body()).isEqualTo(202);
    }

    private static void awaitStatus(String run, String status) {
        awaitStatus(tenant, run, status);
    }

    private static void awaitStatus(TestTenant tenant, String run, String status) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(StoredAlerts.runStatus(tenant.id(), run)));
    }

    /** Every run change published so far has been evaluated (the alert consumer committed past it). */
    private static void settled() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ConsumerLag.of(ConsumerLag.ALERTS_GROUP, "labjournal.run-changes") == 0);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static List<String> runIds(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("run_id").asText()).toList();
    }

    private static Map<String, List<String>> byRun(List<JsonNode> alerts) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        alerts.forEach(a -> found.put(a.get("run_id").asText(), ids(a.get("baseline_run_ids"))));
        return found;
    }
}
