package dev.labjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The metric history phase: one run with a series of 1,000,000 points (100 run.metrics events of 10,000 points,
 * through Kafka and ingest like any other), then {@value #WARM_UP} calls of {@code GET
 * /api/v1/runs/{id}/metrics/{key}?max_points=1000} outside the clock and {@value #CALLS} timed ones, one after the
 * other; prints p50, p99 and the slowest, and checks every answer (1,000,000 points in all, at most 1,000 returned).
 */
final class HistoryBench {

    static final int POINTS = 1_000_000;
    static final int PER_EVENT = 10_000;
    static final int MAX_POINTS = 1000;
    static final int WARM_UP = 10;
    static final int CALLS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private final Options options;
    private final HttpClient http;

    /** p50, p99 and max of the timed calls, in milliseconds; null until measured. */
    double[] millis;

    HistoryBench(Options options, HttpClient http) {
        this.options = options;
        this.http = http;
    }

    void run(Kafka kafka, Connection db, String tenant, TenantAdmin admin) throws Exception {
        admin.createTenant(tenant, "Benchmark " + tenant);
        String key = admin.issueKey(tenant, "read");
        Workload load = Workload.build(tenant, POINTS / PER_EVENT, PER_EVENT, 1);
        String runId = load.events.get(0).runId();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("labjournal-bench-history")) {
            Kafka.produce(producer, options.topic(), load.events);
            long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
            while (Database.scalar(db, Bench.COUNT_SQL, tenant) < POINTS) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException(
                            BenchException.TIMEOUT, "timeout: the history series was not committed in time");
                }
                Kafka.sleep(100);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  run %s of tenant %s: %,d points of %s committed in %.1f s%n",
                runId,
                tenant,
                POINTS,
                Workload.KEY,
                (System.nanoTime() - start) / 1e9);
        String url =
                options.queryUrl() + "/api/v1/runs/" + runId + "/metrics/" + Workload.KEY + "?max_points=" + MAX_POINTS;
        for (int i = 0; i < WARM_UP; i++) {
            call(url, key);
        }
        double[] times = new double[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            call(url, key);
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        millis = new double[] {times[CALLS / 2], times[(int) Math.ceil(CALLS * 0.99) - 1], times[CALLS - 1]};
        System.out.printf(
                Locale.ROOT,
                "  GET %s, %d calls after %d of warm-up: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                url.substring(options.queryUrl().length()),
                CALLS,
                WARM_UP,
                millis[0],
                millis[1],
                millis[2]);
        if (!options.keepData()) {
            Database.deleteTenantData(db, tenant);
        }
    }

    private void call(String url, String key) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(HTTP_TIMEOUT)
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new BenchException(1, url + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        if (body.get("total_points").asLong() != POINTS || body.get("points").size() > MAX_POINTS) {
            throw new BenchException(
                    1,
                    "unexpected history: total_points " + body.get("total_points") + ", "
                            + body.get("points").size() + " points");
        }
    }
}
