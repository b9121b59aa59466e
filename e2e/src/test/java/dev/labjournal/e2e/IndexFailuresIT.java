package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No run is silently unsearchable. A run whose search document OpenSearch refuses is recorded, counted and listed to
 * the administrators of its tenant only, while the other runs of the same bulk request are indexed; a failure is
 * cleared once its run is indexed; highlights are HTML-escaped.
 *
 * <p>The refusal is a real one, reachable by any client through normal ingest: a run with more metric keys, params
 * and tags than OpenSearch's {@code index.mapping.nested_objects.limit} (10,000 nested objects per document; every
 * metric summary, param and tag of a run is one). The schema allows 10,000 metric points with distinct keys per
 * event, so one metrics event of 10,000 keys on top of the started event's two params and one tag is 10,003 nested
 * objects: PostgreSQL stores the run, OpenSearch answers {@code mapper_parsing_exception}. No index setting of the
 * shared platform is touched, and no fault injection is needed.
 */
class IndexFailuresIT {

    private static final String PROJECT = "wide-models";
    private static final int WIDE_KEYS = 10_000;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern FAILURES_COUNTER = Pattern.compile(
            "(?m)^labjournal_query_index_failures_total\\{[^}]*type=\"mapper_parsing_exception\"[^}]*} (\\S+)$");
    private static final Pattern OPEN_GAUGE =
            Pattern.compile("(?m)^labjournal_query_index_failures_open(?:\\{[^}]*})? (\\S+)$");

    private static TestTenant tenantA;
    private static TestTenant tenantB;
    private static String adminOfA;
    private static String adminOfB;

    @BeforeAll
    static void tenants() throws Exception {
        tenantA = TestTenant.create("idxfail-a");
        tenantB = TestTenant.create("idxfail-b");
        adminOfA = tenantA.issueKey("admin").secret();
        adminOfB = tenantB.issueKey("admin").secret();
    }

    private static String marker(String word) {
        return word + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** One metrics event with {@code keys} distinct metric keys (one point each). */
    private static ObjectNode wideMetrics(String tenant, String runId, int keys) {
        ObjectNode data = Events.data();
        var points = data.putArray("metrics");
        for (int i = 0; i < keys; i++) {
            points.addObject()
                    .put("key", String.format("layer%05d.grad_norm", i))
                    .put("value", 0.5)
                    .put("step", 0);
        }
        return Events.event(tenant, PROJECT, runId, "metrics", data);
    }

    @Test
    void aRunTheIndexRefusesIsRecordedCountedAndShownToItsTenantOnlyWhileTheRestOfTheBatchIsSearchable()
            throws Exception {
        double countedBefore = queryMetric(FAILURES_COUNTER);
        String wide = "wide-" + UUID.randomUUID();
        String okMarker = marker("fine");
        List<String> fine = List.of("fine-1-" + UUID.randomUUID(), "fine-2-" + UUID.randomUUID());
        List<Kcat.KeyedLine> events = new ArrayList<>();
        events.add(line(Events.started(tenantA.id(), PROJECT, wide, "per-layer grad norms")));
        events.add(line(wideMetrics(tenantA.id(), wide, WIDE_KEYS)));
        for (String runId : fine) {
            events.add(line(Events.started(tenantA.id(), PROJECT, runId, "baseline " + okMarker)));
        }
        Kcat.produce("labjournal.run-events", events);

        JsonNode failure = awaitFailure(adminOfA, "", wide);
        assertThat(failure.get("tenant").asText()).isEqualTo(tenantA.id());
        assertThat(failure.get("error_type").asText()).isEqualTo("mapper_parsing_exception");
        assertThat(failure.get("reason").asText()).contains("nested documents has exceeded the allowed limit");
        assertThat(failure.get("http_status").asInt()).isEqualTo(400);
        assertThat(failure.get("version").asLong()).isPositive();
        assertThat(failure.get("attempts").asInt())
                .as("sent 3 times before it was recorded")
                .isGreaterThanOrEqualTo(3);
        assertThat(failure.get("index").asText()).startsWith("labjournal-runs-v");
        assertThat(Instant.parse(failure.get("first_failed_at").asText()))
                .isBeforeOrEqualTo(Instant.parse(failure.get("last_failed_at").asText()));

        for (String runId : fine) {
            Searching.awaitHit(tenantA.readKey(), okMarker, runId);
        }
        Platform.Reply stored = Runs.get(tenantA.readKey(), wide);
        assertThat(stored.status()).as("PostgreSQL keeps the refused run").isEqualTo(200);
        assertThat(stored.body().get("metrics")).hasSize(WIDE_KEYS);
        Platform.Reply indexed = Platform.send(HttpRequest.newBuilder(
                        URI.create(Platform.OPENSEARCH_URL + "/labjournal-runs/_doc/" + tenantA.id() + ":" + wide))
                .GET()
                .build());
        if (indexed.body().get("found").asBoolean()) {
            // Its run.started may have been indexed on its own before the metrics arrived.
            assertThat(indexed.body().get("_version").asLong())
                    .as("the index holds at most an earlier version of the refused run")
                    .isLessThan(failure.get("version").asLong());
        }

        assertThat(queryMetric(FAILURES_COUNTER))
                .as("labjournal_query_index_failures_total{type=mapper_parsing_exception}")
                .isGreaterThan(countedBefore);
        assertThat(queryMetric(OPEN_GAUGE))
                .as("labjournal_query_index_failures_open")
                .isGreaterThanOrEqualTo(1);

        // Tenant B's administrator sees none of A's failures, even when asking for A's.
        for (String query : List.of("", "?tenant=" + tenantA.id())) {
            JsonNode ofB = failures(adminOfB, query);
            assertThat(ofB.get("failures"))
                    .as("failures listed to B's admin with '%s'", query)
                    .allMatch(f -> f.get("tenant").asText().equals(tenantB.id()));
            assertThat(ofB.get("total").asLong()).isZero();
        }
        // The platform administrator sees it, with or without ?tenant=.
        assertThat(ids(failures(Platform.adminKey(), "?tenant=" + tenantA.id() + "&limit=500")))
                .contains(wide);
        assertThat(failures(Platform.adminKey(), "?tenant=" + tenantB.id())
                        .get("total")
                        .asLong())
                .isZero();

        // One bulk request holding the refused document and the others: a tenant reindex (one page of A's runs).
        // Their documents go first, so only that request can bring them back.
        for (String runId : fine) {
            deleteDocument(tenantA.id(), runId);
        }
        Platform.Reply reindexed =
                Platform.post(Platform.QUERY_URL + "/api/v1/admin/reindex", adminOfA, "application/json", "");
        assertThat(reindexed.status()).as("%s", reindexed.body()).isEqualTo(200);
        assertThat(reindexed.body().get("reindexed").asLong())
                .as("A's few runs (this class's), one page of 500: one bulk request")
                .isBetween(3L, 500L);
        for (String runId : fine) {
            // Nothing else is published for these runs: only the reindex's bulk request can bring them back.
            Searching.awaitHit(tenantA.readKey(), okMarker, runId);
        }
        JsonNode again = awaitFailure(adminOfA, "", wide);
        assertThat(again.get("attempts").asInt())
                .as("attempts add up over recordings")
                .isGreaterThanOrEqualTo(failure.get("attempts").asInt() + 3);
        assertThat(again.get("first_failed_at").asText())
                .isEqualTo(failure.get("first_failed_at").asText());
    }

    @Test
    void aFailureIsClearedOnceItsRunIsIndexed() throws Exception {
        String runId = "mended-" + UUID.randomUUID();
        String noteMarker = marker("mended");
        Kcat.produce(
                "labjournal.run-events", List.of(line(Events.started(tenantA.id(), PROJECT, runId, "mended run"))));
        Runs.awaitRun(tenantA.readKey(), runId, run -> true);
        // As if an earlier version of this run had been refused: a failure record of version 1.
        String id = tenantA.id() + ":" + runId;
        ObjectNode record = Platform.JSON
                .createObjectNode()
                .put("tenant", tenantA.id())
                .put("run_id", runId)
                .put("version", 1)
                .put("index", "labjournal-runs-v1")
                .put("error_type", "mapper_parsing_exception")
                .put("reason", "injected by " + IndexFailuresIT.class.getSimpleName())
                .put("http_status", 400)
                .put("first_failed_at", Instant.now().toString())
                .put("last_failed_at", Instant.now().toString())
                .put("attempts", 3);
        Platform.Reply put = Platform.send(HttpRequest.newBuilder(
                        URI.create(Platform.OPENSEARCH_URL + "/labjournal-index-failures/_doc/" + id + "?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(record.toString()))
                .build());
        assertThat(put.status()).as("%s", put.body()).isIn(200, 201);
        assertThat(ids(failures(adminOfA, "?limit=500"))).contains(runId);

        Kcat.produce(
                "labjournal.run-events",
                List.of(line(Events.note(tenantA.id(), PROJECT, runId, "fixed by " + noteMarker))));

        Searching.awaitHit(tenantA.readKey(), noteMarker, runId);
        await("the failure of " + runId + " is cleared")
                .atMost(BOUND)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !ids(failures(adminOfA, "?limit=500")).contains(runId));
    }

    @Test
    void highlightsAreHtmlEscapedWithOnlyEmMarkersAdded() throws Exception {
        String runId = "xss-" + UUID.randomUUID();
        String word = marker("tokenizer");
        ObjectNode failed = Events.event(
                tenantA.id(), PROJECT, runId, "finished", Events.data().put("status", "failed"));
        ((ObjectNode) failed.get("data"))
                .putObject("failure")
                .put("type", "ValueError")
                .put("message", "bad input <script>alert(1)</script> & \"quotes\" in " + word)
                .put("stacktrace", "Traceback (most recent call last):\nValueError: " + word);
        Kcat.produce(
                "labjournal.run-events",
                List.of(line(Events.started(tenantA.id(), PROJECT, runId, "escaping")), line(failed)));

        JsonNode hit = Searching.awaitHit(tenantA.readKey(), word, runId);
        String fragment = hit.get("highlights").get("failure_message").get(0).asText();
        assertThat(fragment)
                .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                .contains("&amp;")
                .contains("&quot;quotes&quot;")
                .contains("<em>" + word + "</em>")
                .doesNotContain("<script>");
        assertThat(fragment.replace("<em>", "").replace("</em>", ""))
                .as("no markup but the <em> markers")
                .doesNotContain("<")
                .doesNotContain(">");
        assertThat(hit.get("failure_message").asText())
                .as("the field itself is data, returned as stored")
                .contains("<script>alert(1)</script>");
    }

    private static Kcat.KeyedLine line(ObjectNode event) {
        return new Kcat.KeyedLine(event.get("subject").asText(), event.toString());
    }

    private static JsonNode failures(String key, String query) throws Exception {
        Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/admin/index-failures" + query, key);
        assertThat(reply.status())
                .as("index-failures%s: %s", query, reply.body())
                .isEqualTo(200);
        return reply.body();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("failures").forEach(f -> ids.add(f.get("run_id").asText()));
        return ids;
    }

    /** Waits until the failure of this run is listed to this key, and returns it. */
    private static JsonNode awaitFailure(String key, String query, String runId) {
        JsonNode[] found = new JsonNode[1];
        await("the index failure of " + runId)
                .atMost(BOUND)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    for (JsonNode f : failures(key, query.isEmpty() ? "?limit=500" : query)
                            .get("failures")) {
                        if (f.get("run_id").asText().equals(runId)) {
                            found[0] = f;
                            return found[0].get("attempts").asInt() >= 3;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /**
     * Deletes a run's document at its own version (external_gte), so that a write of that version is welcome again,
     * as if the document had never been written.
     */
    private static void deleteDocument(String tenant, String runId) throws Exception {
        String doc = Platform.OPENSEARCH_URL + "/labjournal-runs/_doc/" + tenant + ":" + runId;
        Platform.Reply current =
                Platform.send(HttpRequest.newBuilder(URI.create(doc)).GET().build());
        assertThat(current.status()).as("%s: %s", runId, current.body()).isEqualTo(200);
        long version = current.body().get("_version").asLong();
        Platform.Reply deleted = Platform.send(HttpRequest.newBuilder(
                        URI.create(doc + "?version=" + version + "&version_type=external_gte&refresh=true"))
                .DELETE()
                .build());
        assertThat(deleted.status()).as("delete %s: %s", runId, deleted.body()).isEqualTo(200);
        assertThat(Platform.send(HttpRequest.newBuilder(URI.create(doc)).GET().build())
                        .status())
                .isEqualTo(404);
    }

    /** A sample of query-service's Prometheus metrics; 0 when not yet there. */
    private static double queryMetric(Pattern sample) throws Exception {
        HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(Platform.QUERY_URL + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher m = sample.matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
