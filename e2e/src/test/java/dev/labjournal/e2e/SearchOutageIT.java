package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * OpenSearch stopped for 60 s while runs keep arriving through Kafka: query-service stays alive and says so (a search
 * answers 503 {@code search_unavailable} at once, readiness is DOWN, liveness UP, run detail and compare from
 * PostgreSQL still answer), and once OpenSearch is back every run published before, during and after the outage is
 * searchable, each exactly once: the run-changes the indexer could not write were retried, not lost.
 *
 * <p>This test stops OpenSearch of the platform it runs against ({@code deploy/local/labjournal down opensearch}) and
 * starts it again ({@code up}); nothing else.
 */
class SearchOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration PUBLISH_EVERY = Duration.ofMillis(200);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);
    private static final Duration RECOVERY_BOUND = Duration.ofMinutes(5);
    private static final int PAGE = 200;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void everyRunPublishedAroundAnOutageIsSearchableOnceAfterIt() throws Exception {
        TestTenant tenant = TestTenant.create("outage");
        String marker =
                "outagemark" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Set<String> published = ConcurrentHashMap.newKeySet();
        AtomicBoolean publishing = new AtomicBoolean(true);
        ExecutorService producerThread = Executors.newSingleThreadExecutor();
        Future<?> producer = producerThread.submit(() -> publish(tenant, marker, published, publishing));
        try {
            await(
                    "a run published before the outage is searchable",
                    RECOVERY_BOUND,
                    () -> !published.isEmpty() && !searchAll(tenant, marker).isEmpty());

            LocalStack.run("down", "opensearch");
            Instant stopped = Instant.now();
            Set<String> before = Set.copyOf(published);
            int searches = 0;
            long slowest = 0;
            while (Instant.now().isBefore(stopped.plus(OUTAGE))) {
                assertThat(producer.isDone())
                        .as("the producer is still publishing")
                        .isFalse();
                Instant asked = Instant.now();
                HttpResponse<String> search = send(searchUrl(marker, null), tenant.readKey());
                long tookMs = Duration.between(asked, Instant.now()).toMillis();
                slowest = Math.max(slowest, tookMs);
                searches++;
                assertThat(search.statusCode())
                        .as("search %d during the outage: %s", searches, search.body())
                        .isEqualTo(503);
                assertThat(Platform.JSON
                                .readTree(search.body())
                                .at("/error/code")
                                .asText())
                        .isEqualTo("search_unavailable");
                assertThat(tookMs).as("search %d answered at once", searches).isLessThan(ANSWER_BOUND.toMillis());

                HttpResponse<String> ready = send(Platform.QUERY_URL + "/q/health/ready", null);
                assertThat(ready.statusCode())
                        .as("readiness during the outage: %s", ready.body())
                        .isEqualTo(503);
                assertThat(opensearchCheck(ready.body())).isEqualTo("DOWN");
                HttpResponse<String> live = send(Platform.QUERY_URL + "/q/health/live", null);
                assertThat(live.statusCode())
                        .as("liveness during the outage: %s", live.body())
                        .isEqualTo(200);
                Thread.sleep(1_000);
            }
            List<String> duringOutage =
                    published.stream().filter(id -> !before.contains(id)).toList();
            assertThat(duringOutage).as("runs published during the outage").isNotEmpty();
            Runs.awaitRun(
                    tenant.readKey(),
                    duringOutage.get(0),
                    run -> run.get("status").asText().equals("running"));
            String earlier = before.iterator().next();
            Platform.Reply compared = Platform.get(
                    Platform.QUERY_URL + "/api/v1/compare?run_ids=" + earlier + "," + duringOutage.get(0),
                    tenant.readKey());
            assertThat(compared.status())
                    .as("compare, from PostgreSQL, during the outage: %s", compared.body())
                    .isEqualTo(200);
            assertThat(compared.body().get("runs"))
                    .extracting(run -> run.get("run_id").asText())
                    .containsExactly(earlier, duringOutage.get(0));

            LocalStack.run("up");
            Instant back = Instant.now();
            publishing.set(false);
            producer.get(30, TimeUnit.SECONDS);

            await(
                    "every published run is searchable",
                    RECOVERY_BOUND,
                    () -> searchAll(tenant, marker).size() >= published.size());
            Duration recovery = Duration.between(back, Instant.now());
            List<String> found = searchAll(tenant, marker);
            System.out.printf(
                    "outage: %d runs published, %d during the %d s outage; %d searches answered 503 (slowest %d ms);"
                            + " all searchable %d ms after OpenSearch was back%n",
                    published.size(), duringOutage.size(), OUTAGE.toSeconds(), searches, slowest, recovery.toMillis());
            assertThat(found).as("each run found exactly once").doesNotHaveDuplicates();
            assertThat(new TreeSet<>(found)).isEqualTo(new TreeSet<>(published));
            assertThat(total(tenant, marker)).isEqualTo(published.size());
        } finally {
            publishing.set(false);
            producerThread.shutdownNow();
            if (!opensearchAnswers()) {
                LocalStack.run("up");
            }
        }
    }

    /** Publishes one run.started through Kafka every {@link #PUBLISH_EVERY}; a run counts once Kafka has acked it. */
    private static Void publish(TestTenant tenant, String marker, Set<String> published, AtomicBoolean publishing)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int n = 0; publishing.get(); n++) {
                String runId = "outage-" + n + "-" + UUID.randomUUID();
                String event = Events.started(tenant.id(), "outage", runId, "run " + n + " " + marker)
                        .toString();
                producer.send(new ProducerRecord<>("labjournal.run-events", runId, event))
                        .get(30, TimeUnit.SECONDS);
                published.add(runId);
                Thread.sleep(PUBLISH_EVERY.toMillis());
            }
        }
        return null;
    }

    /** The run ids of every page of the search for the marker, in order (duplicates kept). */
    private static List<String> searchAll(TestTenant tenant, String marker) throws Exception {
        List<String> ids = new ArrayList<>();
        String pageToken = null;
        do {
            Platform.Reply reply = Platform.get(searchUrl(marker, pageToken), tenant.readKey());
            if (reply.status() != 200) {
                return List.of();
            }
            reply.body().get("runs").forEach(run -> ids.add(run.get("run_id").asText()));
            JsonNode next = reply.body().get("next_page_token");
            pageToken = next == null || next.isNull() ? null : next.asText();
        } while (pageToken != null);
        return ids;
    }

    private static long total(TestTenant tenant, String marker) throws Exception {
        Platform.Reply reply = Platform.get(searchUrl(marker, null), tenant.readKey());
        assertThat(reply.status()).isEqualTo(200);
        return reply.body().get("total").asLong();
    }

    private static String searchUrl(String marker, String pageToken) {
        return Platform.QUERY_URL + "/api/v1/runs/search?limit=" + PAGE + "&q=" + marker
                + (pageToken == null ? "" : "&page_token=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
    }

    /** The status of the "opensearch" readiness check in a health body. */
    private static String opensearchCheck(String health) throws Exception {
        Map<String, String> checks = new HashMap<>();
        Platform.JSON
                .readTree(health)
                .get("checks")
                .forEach(check -> checks.put(
                        check.get("name").asText(), check.get("status").asText()));
        return checks.get("opensearch");
    }

    private static boolean opensearchAnswers() {
        try {
            return send(Platform.OPENSEARCH_URL + "/_cluster/health", null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> send(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration bound, Condition condition) throws Exception {
        org.awaitility.Awaitility.await(what)
                .atMost(bound)
                .pollInterval(Duration.ofSeconds(1))
                .until(condition::holds);
    }
}
