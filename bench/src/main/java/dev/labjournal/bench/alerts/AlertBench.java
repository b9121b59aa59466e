package dev.labjournal.bench.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.labjournal.bench.BenchException;
import dev.labjournal.bench.ChangeWatcher;
import dev.labjournal.bench.Http;
import dev.labjournal.bench.TenantAdmin;
import dev.labjournal.bench.search.Latencies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The alerts benchmark (bench/README.md): latency from the Kafka acknowledgement of the run.finished event that makes
 * a run regress to (a) the rule's webhook and (b) an SSE client, idle and under background ingest load.
 */
public final class AlertBench {

    private static final String PROJECT = "bench-alerts";
    private static final long PROBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int LOAD_RUNS = 50;

    private final AlertOptions options;
    private final Http http = new Http();
    private final Map<String, Long> webhookArrivals = new ConcurrentHashMap<>();
    private final Map<String, Long> streamArrivals = new ConcurrentHashMap<>();
    /** Notified whenever an alert arrives on either channel. */
    private final Object arrival = new Object();

    private AlertBench(AlertOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new AlertBench(AlertOptions.parse(args)).run();
        } catch (BenchException e) {
            if (e.exitCode() == 0) {
                System.out.print(e.getMessage());
            } else {
                System.err.println("bench alerts: " + e.getMessage());
            }
            code = e.exitCode();
        } catch (Exception e) {
            System.err.println("bench alerts: failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private int run() throws Exception {
        Http.expectOk("query-service readiness", http.get(options.queryUrl() + "/q/health/ready", null));
        String tenant = "bench-alerts-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        TenantAdmin admin = TenantAdmin.fromKeyFile(http, options.queryUrl(), options.adminKeyFile());
        admin.createTenant(tenant, "Alerts benchmark " + tenant);
        String key = admin.issueKey(tenant, "read", "alerts");
        RunEvents events = new RunEvents(tenant, PROJECT);
        HttpServer receiver = receiver();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Http.expectOk(
                    "creating the rule", http.postJson(options.queryUrl() + "/api/v1/alert-rules", key, rule(url)));
            send(producer, "baseline", events.started("baseline"));
            send(producer, "baseline", events.loss("baseline", 0.40));
            send(producer, "baseline", events.succeeded("baseline"));
            awaitFinished(key, "baseline");
            AtomicBoolean streaming = new AtomicBoolean(true);
            Thread stream = stream(key, streaming);
            System.out.printf(
                    Locale.ROOT,
                    "Lab Journal alerts benchmark: tenant %s, %d probes per phase%n",
                    tenant,
                    options.probes());
            System.out.printf("%n[1/2] idle%n");
            phase("idle", producer, events, tenant);
            System.out.printf(
                    Locale.ROOT,
                    "%n[2/2] under a background load of %,d points/s (events of %,d points)%n",
                    options.loadPointsPerSecond(),
                    options.loadPointsPerEvent());
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = load(producer, new RunEvents(tenant, PROJECT + "-load"), loading);
            try {
                phase("load", producer, events, tenant);
            } finally {
                loading.set(false);
                load.join();
                streaming.set(false);
                stream.interrupt();
            }
        } finally {
            receiver.stop(0);
        }
        return 0;
    }

    private void phase(String name, KafkaProducer<String, byte[]> producer, RunEvents events, String tenant)
            throws Exception {
        Latencies webhook = new Latencies(name + " -> webhook");
        Latencies sse = new Latencies(name + " -> SSE");
        Latencies ingestShare = new Latencies("  ack to run change");
        Latencies alertShare = new Latencies("  run change to webhook");
        try (ChangeWatcher changes = new ChangeWatcher(options.bootstrap(), tenant, name + "-probe-")) {
            changes.awaitPositioned();
            for (int i = 0; i < options.probes(); i++) {
                probe(name + "-probe-" + i, producer, events, changes, webhook, sse, ingestShare, alertShare);
            }
        }
        System.out.println("  " + webhook.describe());
        System.out.println("  " + sse.describe());
        System.out.println("  " + ingestShare.describe());
        System.out.println("  " + alertShare.describe());
    }

    /** One probe: a run that regresses; its latencies to both channels, split at the run-changes announcement. */
    private void probe(
            String runId,
            KafkaProducer<String, byte[]> producer,
            RunEvents events,
            ChangeWatcher changes,
            Latencies webhook,
            Latencies sse,
            Latencies ingestShare,
            Latencies alertShare)
            throws Exception {
        send(producer, runId, events.started(runId));
        send(producer, runId, events.loss(runId, 0.50));
        long acked = send(producer, runId, events.succeeded(runId));
        long deadline = acked + PROBE_TIMEOUT_NANOS;
        synchronized (arrival) {
            while (!(webhookArrivals.containsKey(runId) && streamArrivals.containsKey(runId))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BenchException(
                            BenchException.TIMEOUT, "no alert for " + runId + " on both channels within 30 s");
                }
                TimeUnit.NANOSECONDS.timedWait(arrival, left);
            }
        }
        webhook.add(webhookArrivals.get(runId) - acked);
        sse.add(streamArrivals.get(runId) - acked);
        Long announced = changes.finishedAt(runId);
        if (announced != null) {
            ingestShare.add(Math.max(0, announced - acked));
            alertShare.add(webhookArrivals.get(runId) - announced);
        }
    }

    /** Sends one event and waits for its acknowledgement; returns when it came (System.nanoTime). */
    private long send(KafkaProducer<String, byte[]> producer, String runId, byte[] event) throws Exception {
        producer.send(new ProducerRecord<>(options.topic(), runId, event)).get(30, TimeUnit.SECONDS);
        return System.nanoTime();
    }

    private Thread load(KafkaProducer<String, byte[]> producer, RunEvents events, AtomicBoolean loading) {
        Thread thread = new Thread(
                () -> {
                    int perEvent = options.loadPointsPerEvent();
                    int perSecond = Math.max(1, options.loadPointsPerSecond() / perEvent);
                    long step = 0;
                    long next = System.nanoTime();
                    long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
                    while (loading.get()) {
                        String runId = "load-" + (step / perEvent % LOAD_RUNS);
                        producer.send(new ProducerRecord<>(options.topic(), runId, events.load(runId, step, perEvent)));
                        step += perEvent;
                        next += interval;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                },
                "bench-load");
        thread.start();
        return thread;
    }

    private HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            long at = System.nanoTime();
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode alert = Http.JSON.readTree(in);
                arrived(webhookArrivals, alert.path("run_id").asText(), at);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private void arrived(Map<String, Long> arrivals, String runId, long at) {
        arrivals.putIfAbsent(runId, at);
        synchronized (arrival) {
            arrival.notifyAll();
        }
    }

    private Thread stream(String key, AtomicBoolean streaming) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(options.queryUrl() + "/api/v1/alerts/stream"))
                                .header("Authorization", "Bearer " + key)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new BenchException(1, "GET /api/v1/alerts/stream answered " + response.statusCode());
        }
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while (streaming.get() && (line = in.readLine()) != null) {
                            if (line.startsWith("data:")) {
                                long at = System.nanoTime();
                                JsonNode alert = Http.JSON.readTree(line.substring(5));
                                arrived(streamArrivals, alert.path("run_id").asText(), at);
                            }
                        }
                    } catch (IOException e) {
                        // the stream ends with the benchmark
                    }
                },
                "bench-sse");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void awaitFinished(String key, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Http.Reply run = http.get(options.queryUrl() + "/api/v1/runs/" + runId, key);
            if (run.ok() && "succeeded".equals(run.body().path("status").asText())) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new BenchException(BenchException.TIMEOUT, "the baseline run did not finish within 60 s");
    }

    /** The rule of the issue's example: val_loss, minimize, baseline best, 5 %, on finish, webhook and SSE. */
    private static Map<String, Object> rule(String webhookUrl) {
        return Map.of(
                "name",
                "val_loss regressed on " + PROJECT,
                "project",
                PROJECT,
                "kind",
                "metric_regression",
                "metric",
                RunEvents.METRIC,
                "goal",
                "minimize",
                "baseline",
                Map.of("type", "best"),
                "tolerance",
                Map.of("relative", 0.05),
                "evaluate",
                "on_finish",
                "channels",
                List.of(Map.of("type", "webhook", "url", webhookUrl), Map.of("type", "sse")));
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
