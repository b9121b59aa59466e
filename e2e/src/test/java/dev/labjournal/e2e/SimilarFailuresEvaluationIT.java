package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How good similar failures are, measured: the labelled corpus ({@link FailureCorpus}: dozens of ML root causes,
 * several variants each, from different teams) is published through Kafka as failed runs of a tenant of its own, and
 * for every run precision@5 of {@code /similar-failures?limit=5} (the share of the top five with the run's root cause)
 * is computed, and the same for a baseline: a plain OpenSearch {@code more_like_this} over the whole stack trace with
 * the same tenant filter. The corpus is published again into a second tenant without stack traces (clients that send
 * only type and message) and measured the same way, the baseline then over the message. The report (overall and per
 * family) goes to {@code target/similar-failures-report.md} and to stdout; with traces ours must reach 0.9. Failure
 * groups are checked against the labels too: no group holds two root causes, and every run is in one.
 */
class SimilarFailuresEvaluationIT {

    private static final int K = 5;
    private static final double REQUIRED_PRECISION = 0.9;

    private static FailureCorpus corpus;
    /** The corpus as published with stack traces, and as published by clients that send only type and message. */
    private static Published withTraces;

    private static Published traceless;

    /** The corpus published into a tenant of its own: the run id of each case and the root cause of each run id. */
    record Published(TestTenant tenant, Map<FailureCorpus.Case, String> runIds, Map<String, String> labels) {}

    @BeforeAll
    static void publishTheCorpusAsFailedRuns() throws Exception {
        corpus = FailureCorpus.load();
        withTraces = publish(TestTenant.create("failure-eval"), true);
        traceless = publish(TestTenant.create("failure-eval-traceless"), false);
        for (Published published : List.of(withTraces, traceless)) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .alias("all " + published.runIds().size() + " corpus runs searchable as failed")
                    .until(() -> failedRunsIndexed(published.tenant())
                            == published.runIds().size());
        }
    }

    private static Published publish(TestTenant tenant, boolean withTrace) throws Exception {
        Map<FailureCorpus.Case, String> runIds = new LinkedHashMap<>();
        Map<String, String> labels = new HashMap<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (FailureCorpus.Case c : corpus.cases()) {
                String runId = "eval-" + UUID.randomUUID();
                runIds.put(c, runId);
                labels.put(runId, c.rootCause());
                producer.send(new ProducerRecord<>(
                        "labjournal.run-events",
                        runId,
                        started(tenant, c, runId).toString()));
                producer.send(new ProducerRecord<>(
                        "labjournal.run-events",
                        runId,
                        failed(tenant, c, runId, withTrace).toString()));
            }
            producer.flush();
        }
        return new Published(tenant, runIds, labels);
    }

    private static ObjectNode started(TestTenant tenant, FailureCorpus.Case c, String runId) {
        ObjectNode data = Events.data()
                .put("team", c.team())
                .put("name", c.project() + " run " + (c.variant() + 1))
                .put("user", c.user());
        data.putObject("params").put("seed", String.valueOf(c.variant()));
        return Events.event(tenant.id(), c.project(), runId, "started", data);
    }

    private static ObjectNode failed(TestTenant tenant, FailureCorpus.Case c, String runId, boolean withTrace) {
        ObjectNode data = Events.data().put("status", "failed");
        ObjectNode failure = data.putObject("failure").put("type", c.type()).put("message", c.message());
        if (withTrace) {
            failure.put("stacktrace", c.stacktrace());
        }
        return Events.event(tenant.id(), c.project(), runId, "finished", data);
    }

    private static long failedRunsIndexed(TestTenant tenant) throws Exception {
        Platform.Reply reply = Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/search?limit=1&filter="
                        + URLEncoder.encode("attributes.status = 'failed'", StandardCharsets.UTF_8),
                tenant.readKey());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return reply.body().get("total").asLong();
    }

    /** Precision@K per family of ours and of the baseline, and the runs ours got wrong. */
    record Figures(Map<String, List<Double>> ours, Map<String, List<Double>> baseline, List<String> misses) {}

    private static Figures measure(Published published, String baselineField) throws Exception {
        Map<String, List<Double>> ours = new TreeMap<>();
        Map<String, List<Double>> baseline = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (Map.Entry<FailureCorpus.Case, String> entry : published.runIds().entrySet()) {
            FailureCorpus.Case c = entry.getKey();
            String runId = entry.getValue();
            List<String> top = similarFailures(published.tenant(), runId);
            double p = precision(published, c.rootCause(), top);
            ours.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(p);
            if (p < 1.0) {
                misses.add(String.format(
                        Locale.ROOT,
                        "%s #%d: %.1f (%s)",
                        c.rootCause(),
                        c.variant(),
                        p,
                        top.stream().map(published.labels()::get).toList()));
            }
            String like = baselineField.equals("failure_stacktrace") ? c.stacktrace() : c.message();
            baseline.computeIfAbsent(c.family(), f -> new ArrayList<>())
                    .add(precision(
                            published, c.rootCause(), moreLikeThis(published.tenant(), runId, baselineField, like)));
        }
        return new Figures(ours, baseline, misses);
    }

    @Test
    void similarFailuresFindTheSameRootCauseFarBetterThanMoreLikeThis() throws Exception {
        Figures full = measure(withTraces, "failure_stacktrace");
        Figures typeAndMessage = measure(traceless, "failure_message");
        String report = "# Similar failures: precision@" + K + "\n\n"
                + table("With stack traces; baseline: more_like_this over the stack trace", full)
                + "\n"
                + table(
                        "Without stack traces (clients that send only type and message); baseline: more_like_this"
                                + " over the message",
                        typeAndMessage);
        Path file = Path.of("target", "similar-failures-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        System.out.println(report);

        assertThat(mean(all(full.baseline()))).as("the baseline was computed").isBetween(0.0, 1.0);
        assertThat(mean(all(typeAndMessage.ours())))
                .as("without traces, measured")
                .isBetween(0.0, 1.0);
        assertThat(mean(all(full.ours())))
                .as("precision@5 of similar failures over the corpus\n%s", report)
                .isGreaterThanOrEqualTo(REQUIRED_PRECISION);
    }

    @Test
    void noFailureGroupHoldsTwoRootCausesAndEveryRunIsInOne() throws Exception {
        TestTenant tenant = withTraces.tenant();
        Map<String, String> labels = withTraces.labels();
        Platform.Reply list =
                Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups?limit=200&days=1", tenant.readKey());
        assertThat(list.status()).as("%s", list.body()).isEqualTo(200);
        long counted = 0;
        Map<String, Set<String>> groupsOfRootCause = new TreeMap<>();
        for (JsonNode group : list.body().get("groups")) {
            String id = group.get("group").asText();
            Platform.Reply detail =
                    Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups/" + id + "?days=1", tenant.readKey());
            assertThat(detail.status()).as("%s", detail.body()).isEqualTo(200);
            Set<String> rootCauses = new HashSet<>();
            detail.body().get("recent_runs").forEach(run -> rootCauses.add(labels.get(run.asText())));
            assertThat(rootCauses).as("root causes of group %s", id).hasSize(1);
            long teamTotal = 0;
            for (JsonNode team : group.get("teams")) {
                teamTotal += team.get("count").asLong();
            }
            assertThat(teamTotal)
                    .as("team counts of %s add up", id)
                    .isEqualTo(group.get("count").asLong());
            counted += group.get("count").asLong();
            groupsOfRootCause
                    .computeIfAbsent(rootCauses.iterator().next(), l -> new HashSet<>())
                    .add(id);
        }
        assertThat(counted)
                .as("every failed run is in one group")
                .isEqualTo(corpus.cases().size());
        long oneGroup = groupsOfRootCause.values().stream()
                .filter(groups -> groups.size() == 1)
                .count();
        System.out.printf(
                "failure groups: %d groups for %d root causes; %d root causes in exactly one group; split: %s%n",
                list.body().get("groups").size(),
                groupsOfRootCause.size(),
                oneGroup,
                groupsOfRootCause.entrySet().stream()
                        .filter(e -> e.getValue().size() > 1)
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .toList());
    }

    private static List<String> similarFailures(TestTenant tenant, String runId) throws Exception {
        Platform.Reply reply = Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/" + runId + "/similar-failures?limit=" + K, tenant.readKey());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.body().get("similar").forEach(hit -> ids.add(hit.get("run_id").asText()));
        return ids;
    }

    /**
     * The baseline: OpenSearch's {@code more_like_this} on one text field with this run's text of it,
     * confined like ours to the tenant's failed runs other than this one; {@code min_term_freq} 1, as one trace is the
     * whole "document" to take terms from, the other parameters OpenSearch's defaults.
     */
    private static List<String> moreLikeThis(TestTenant tenant, String runId, String field, String like)
            throws Exception {
        ObjectNode body = Platform.JSON.createObjectNode().put("size", K);
        body.putArray("_source").add("run_id");
        ObjectNode bool = body.putObject("query").putObject("bool");
        bool.putArray("filter").add(term("tenant", tenant.id())).add(term("status", "failed"));
        bool.putArray("must_not").add(term("run_id", runId));
        ObjectNode mlt = bool.putArray("must").addObject().putObject("more_like_this");
        mlt.putArray("fields").add(field);
        mlt.put("like", like).put("min_term_freq", 1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(Platform.OPENSEARCH_URL + "/labjournal-runs/_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(Duration.ofSeconds(30))
                .build();
        JsonNode response = Platform.JSON.readTree(Platform.sendForText(request));
        List<String> ids = new ArrayList<>();
        response.get("hits")
                .get("hits")
                .forEach(hit -> ids.add(hit.get("_source").get("run_id").asText()));
        return ids;
    }

    private static ObjectNode term(String field, String value) {
        ObjectNode term = Platform.JSON.createObjectNode();
        term.putObject("term").put(field, value);
        return term;
    }

    /** The share of the top K with the root cause; fewer than K hits count as misses. */
    private static double precision(Published published, String rootCause, List<String> top) {
        long same = top.stream()
                .filter(id -> rootCause.equals(published.labels().get(id)))
                .count();
        return (double) same / K;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static List<Double> all(Map<String, List<Double>> byFamily) {
        return byFamily.values().stream().flatMap(List::stream).toList();
    }

    private static String table(String title, Figures figures) {
        StringBuilder out = new StringBuilder("## ").append(title).append("\n\n");
        out.append(String.format(
                Locale.ROOT,
                "%d failed runs, %d root causes, %d families, %d teams.%n%n",
                corpus.cases().size(),
                corpus.cases().stream()
                        .map(FailureCorpus.Case::rootCause)
                        .distinct()
                        .count(),
                figures.ours().size(),
                corpus.cases().stream().map(FailureCorpus.Case::team).distinct().count()));
        out.append("| family | runs | similar-failures | more_like_this baseline |\n|---|---:|---:|---:|\n");
        figures.ours()
                .forEach((family, values) -> out.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.3f | %.3f |%n",
                        family,
                        values.size(),
                        mean(values),
                        mean(figures.baseline().get(family)))));
        out.append(String.format(
                Locale.ROOT,
                "| **all** | %d | **%.3f** | **%.3f** |%n",
                all(figures.ours()).size(),
                mean(all(figures.ours())),
                mean(all(figures.baseline()))));
        out.append("\nRuns below 1.0 (root causes of their top ").append(K).append("):\n\n");
        figures.misses().forEach(miss -> out.append("- ").append(miss).append('\n'));
        return out.toString();
    }
}
