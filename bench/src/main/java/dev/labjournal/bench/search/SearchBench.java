package dev.labjournal.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.bench.BenchException;
import dev.labjournal.bench.ChangeWatcher;
import dev.labjournal.bench.Database;
import dev.labjournal.bench.Http;
import dev.labjournal.bench.TenantAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The search benchmark (bench/README.md): loading runs until searchable beside a raw OpenSearch bulk of the same
 * documents, search latencies by kind, and freshness under ingest load, one phase after the other.
 */
public final class SearchBench {

    private static final int WARM_UP = 20;
    private static final long POLL_MILLIS = 500;
    /**
     * A probe searches for its run this often until it is found: the figure's resolution. Polling every 10 ms made
     * the probes themselves 100 searches a second, most of the query-service's CPU on two cores.
     */
    private static final long PROBE_POLL_MILLIS = 25;

    private static final long PROBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final List<String> FULL_TEXT = List.of(
            "CUDA out of memory",
            "NCCL Watchdog timeout",
            "loss scale minimum",
            "rendezvous worker",
            "mat1 and mat2 shapes",
            "tokenizer llama",
            "Out of memory TPU",
            "preempted SIGTERM",
            "resnet50 adamw",
            "label logistic regression");
    private static final List<String> FILTERS = List.of(
            "attributes.status = 'failed' AND params.lr = '0.001'",
            "metrics.val_loss < 0.5 AND tags.env = 'prod'",
            "attributes.team IN ('vision', 'nlp', 'rl') AND params.optimizer = 'adamw'",
            "params.model = 'llama-7b' OR (tags.gpu = 'h100' AND metrics.accuracy > 0.8)",
            "attributes.failure_type LIKE 'torch%' AND attributes.project = 'vision-1'");
    private static final String FACETS = "team,project,status,failure_type,user";

    private final SearchOptions options;
    private final Http http = new Http();
    private final OpenSearch openSearch;
    private final String suffix =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final Map<String, String> results = new LinkedHashMap<>();

    private SearchBench(SearchOptions options) {
        this.options = options;
        this.openSearch = new OpenSearch(http, options.openSearchUrl(), options.index());
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new SearchBench(SearchOptions.parse(args)).run();
        } catch (BenchException e) {
            if (e.exitCode() == 0) {
                System.out.print(e.getMessage());
            } else {
                System.out.flush();
                System.err.println("bench search: " + e.getMessage());
            }
            code = e.exitCode();
        } catch (Exception e) {
            System.out.flush();
            System.err.println("bench search: failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private int run() throws Exception {
        Http.expectOk("query-service readiness", http.get(options.queryUrl() + "/q/health/ready", null));
        boolean reuse = options.tenant() != null;
        String tenant = reuse
                ? options.tenant()
                : "bench-search-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                        + suffix;
        TenantAdmin admin = TenantAdmin.fromKeyFile(http, options.queryUrl(), options.adminKeyFile());
        if (!reuse) {
            admin.createTenant(tenant, "Search benchmark " + tenant);
        }
        String key = admin.issueKey(tenant, "read");
        System.out.printf(
                Locale.ROOT,
                "Lab Journal search benchmark: tenant %s, %,d runs, %d cores, load average %s%n",
                tenant,
                options.runs(),
                Runtime.getRuntime().availableProcessors(),
                loadAverage());
        RunCorpus corpus = new RunCorpus(tenant, Instant.now().minus(400, ChronoUnit.DAYS));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            if (!reuse) {
                System.out.printf(
                        "%n[1/4] load: Kafka -> ingest-service -> PostgreSQL -> query-service -> OpenSearch%n");
                load(producer, corpus, tenant);
            }
            System.out.printf("%n[2/4] raw OpenSearch bulk of the same documents%n");
            bulkBaseline(tenant);
            System.out.printf(
                    "%n[3/4] searches (%d warm-up, then %d of each kind, one at a time)%n", WARM_UP, options.queries());
            searches(key);
            System.out.printf("%n[4/4] freshness: Kafka acknowledgement to searchable, under ingest load%n");
            freshness(producer, corpus, key);
        } finally {
            if (!reuse && !options.keepData()) {
                cleanUp(tenant);
            }
        }
        System.out.printf("%nSummary%n");
        results.forEach((name, value) -> System.out.printf("  %-34s %s%n", name, value));
        return 0;
    }

    private void load(KafkaProducer<byte[], byte[]> producer, RunCorpus corpus, String tenant) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong ackedAt = new AtomicLong();
        long start = System.nanoTime();
        Thread sender = new Thread(() -> {
            for (int run = 0; run < options.runs() && failure.get() == null; run++) {
                for (RunCorpus.Event event : corpus.events(run)) {
                    producer.send(record(event), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
            }
            producer.flush();
            ackedAt.set(System.nanoTime());
        });
        sender.start();
        long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
        long lastReport = start;
        long searchable = 0;
        while (searchable < options.runs()) {
            if (failure.get() != null) {
                throw new BenchException(BenchException.UNREACHABLE, "producing failed: " + failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException(
                        BenchException.TIMEOUT,
                        searchable + " of " + options.runs() + " runs searchable after " + options.timeoutSeconds()
                                + " s");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            searchable = openSearch.finishedRuns(tenant);
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
                lastReport = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "  %5.0f s: %,d runs searchable%s%n",
                        (lastReport - start) / 1e9,
                        searchable,
                        ackedAt.get() > 0 ? " (all events acknowledged by Kafka)" : "");
            }
        }
        sender.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        double acked = (ackedAt.get() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "  %,d runs (%,d events) acknowledged by Kafka in %.1f s, all searchable with their end after %.1f s:"
                        + " %,.0f runs/s end to end%n",
                options.runs(),
                options.runs() * 3L,
                acked,
                seconds,
                options.runs() / seconds);
        results.put("load, runs/s end to end", String.format(Locale.ROOT, "%,.0f", options.runs() / seconds));
    }

    private void bulkBaseline(String tenant) throws Exception {
        String scratch = "labjournal-bench-bulk-" + suffix;
        List<byte[]> bodies = openSearch.bulkBodies(tenant, scratch, 2_000);
        long bytes = bodies.stream().mapToLong(b -> b.length).sum();
        openSearch.createIndex(scratch, options.indexDefinition());
        try {
            long start = System.nanoTime();
            for (byte[] body : bodies) {
                openSearch.bulk(body);
            }
            openSearch.refresh(scratch);
            double seconds = (System.nanoTime() - start) / 1e9;
            long count = openSearch.count(scratch);
            System.out.printf(
                    Locale.ROOT,
                    "  %,d documents (%.1f MB of bulk bodies of 2,000) into a scratch index with the runs mapping,"
                            + " refreshed, in %.1f s: %,.0f documents/s%n",
                    count,
                    bytes / 1e6,
                    seconds,
                    count / seconds);
            results.put("raw bulk, documents/s", String.format(Locale.ROOT, "%,.0f", count / seconds));
        } finally {
            openSearch.deleteIndex(scratch);
        }
    }

    private void searches(String key) {
        String search = options.queryUrl() + "/api/v1/runs/search?limit=20";
        Random random = new Random(42);
        List<String> fullText = new ArrayList<>();
        List<String> filter = new ArrayList<>();
        List<String> combined = new ArrayList<>();
        List<String> faceted = new ArrayList<>();
        List<String> similar = new ArrayList<>();
        for (int i = 0; i < WARM_UP + options.queries(); i++) {
            String q = Http.encode(FULL_TEXT.get(i % FULL_TEXT.size()));
            String f = Http.encode(FILTERS.get(i % FILTERS.size()));
            fullText.add(search + "&q=" + q);
            filter.add(search + "&filter=" + f);
            combined.add(search + "&q=" + Http.encode(FULL_TEXT.get((i + 3) % FULL_TEXT.size())) + "&filter=" + f);
            faceted.add(search + "&q=" + q + "&facets=" + FACETS);
            int failed = 3 * random.nextInt(options.runs() / 3);
            similar.add(options.queryUrl() + "/api/v1/runs/" + RunCorpus.runId(failed) + "/similar-failures?limit=5");
        }
        measure("full-text search", fullText, key);
        measure("filter search", filter, key);
        measure("full text + filter", combined, key);
        measure("faceted search", faceted, key);
        measure("similar failures", similar, key);
    }

    private void measure(String kind, List<String> urls, String key) {
        Latencies latencies = new Latencies(kind);
        long hits = 0;
        for (int i = 0; i < urls.size(); i++) {
            Http.Reply reply = http.get(urls.get(i), key);
            if (!reply.ok()) {
                String why = reply.status() + " " + abbreviate(reply.text());
                System.out.printf("  %-28s not available: %s%n", kind, why);
                results.put(kind, "not available (" + why + ")");
                return;
            }
            if (i >= WARM_UP) {
                latencies.add(reply.nanos());
                JsonNode body = reply.body();
                hits += body.has("similar")
                        ? body.path("similar").size()
                        : body.path("total").asLong();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  %s  (%,.0f hits per query on average)%n",
                latencies.describe(),
                hits / (double) latencies.count());
        results.put(
                kind,
                String.format(
                        Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", latencies.percentile(50), latencies.percentile(99)));
    }

    private void freshness(KafkaProducer<byte[], byte[]> producer, RunCorpus corpus, String key) throws Exception {
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        AtomicLong loadEvents = new AtomicLong();
        if (options.loadEventsPerSecond() > 0) {
            load.scheduleAtFixedRate(
                    () -> {
                        long n = loadEvents.getAndIncrement();
                        producer.send(record(metricsEvent(corpus, n)));
                    },
                    0,
                    1_000_000 / options.loadEventsPerSecond(),
                    TimeUnit.MICROSECONDS);
        }
        Latencies latencies = new Latencies("freshness");
        Latencies ingestShare = new Latencies("  ack to run change");
        Latencies indexShare = new Latencies("  run change to searchable");
        List<Probe> probes = new ArrayList<>();
        OpenSearch.Work before = openSearch.work();
        try (ChangeWatcher changes = new ChangeWatcher(options.bootstrap(), corpus.tenant(), "probe-")) {
            changes.awaitPositioned();
            for (int i = 0; i < options.probes(); i++) {
                String word = "probe" + suffix + "x" + i;
                String runId = "probe-" + suffix + "-" + i;
                List<RunCorpus.Event> events = corpus.probe(runId, word);
                producer.send(record(events.get(0)));
                producer.send(record(events.get(1))).get(30, TimeUnit.SECONDS);
                long acked = System.nanoTime();
                String url = options.queryUrl() + "/api/v1/runs/search?q=" + word;
                while (true) {
                    Http.Reply reply = http.get(url, key);
                    if (reply.ok() && reply.body().path("runs").size() > 0) {
                        long searchable = System.nanoTime();
                        latencies.add(searchable - acked);
                        Long announced = changes.finishedAt(runId);
                        if (announced != null) {
                            ingestShare.add(Math.max(0, announced - acked));
                            indexShare.add(searchable - announced);
                        }
                        probes.add(new Probe(i, searchable - acked, announced == null ? -1 : announced - acked));
                        break;
                    }
                    if (System.nanoTime() - acked > PROBE_TIMEOUT_NANOS) {
                        throw new BenchException(BenchException.TIMEOUT, "probe " + word + " not searchable in 60 s");
                    }
                    TimeUnit.MILLISECONDS.sleep(PROBE_POLL_MILLIS);
                }
            }
        } finally {
            load.shutdownNow();
        }
        OpenSearch.Work work = openSearch.work().minus(before);
        System.out.printf(
                Locale.ROOT,
                "  %s  (meanwhile %,d run.metrics events of 100 points)%n%s%n%s%n  OpenSearch meanwhile: %s%n",
                latencies.describe(),
                loadEvents.get(),
                ingestShare.describe(),
                indexShare.describe(),
                work.describe());
        probes.stream()
                .sorted(Comparator.comparingLong(Probe::nanos).reversed())
                .limit(3)
                .forEach(probe -> System.out.printf(
                        Locale.ROOT,
                        "  slow probe #%d: %.0f ms, of which ack to run change %s%n",
                        probe.number(),
                        probe.nanos() / 1e6,
                        probe.ingestNanos() < 0
                                ? "unknown"
                                : String.format(Locale.ROOT, "%.0f ms", probe.ingestNanos() / 1e6)));
        results.put(
                "freshness",
                String.format(
                        Locale.ROOT,
                        "p50 %.0f ms, p99 %.0f ms under %d events/s",
                        latencies.percentile(50),
                        latencies.percentile(99),
                        options.loadEventsPerSecond()));
    }

    /** One freshness probe: its number, ack to searchable, and ack to run change (-1: not seen). */
    private record Probe(int number, long nanos, long ingestNanos) {}

    private RunCorpus.Event metricsEvent(RunCorpus corpus, long n) {
        return corpus.loadPoints(RunCorpus.runId((int) (n % options.runs())), n * 100, 100);
    }

    private ProducerRecord<byte[], byte[]> record(RunCorpus.Event event) {
        return new ProducerRecord<>(options.topic(), event.runId().getBytes(StandardCharsets.UTF_8), event.value());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "labjournal-bench-search");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void cleanUp(String tenant) throws Exception {
        long start = System.nanoTime();
        Properties props = new Properties();
        props.setProperty("user", options.dbUser());
        props.setProperty("password", options.dbPassword());
        try (Connection db = DriverManager.getConnection(options.jdbcUrl(), props)) {
            Database.deleteTenantData(db, tenant);
        }
        openSearch.deleteTenant(tenant);
        System.out.printf(
                Locale.ROOT,
                "%ndeleted the tenant's runs from PostgreSQL and the index (%.1f s)%n",
                (System.nanoTime() - start) / 1e9);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String loadAverage() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
