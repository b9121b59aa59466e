package dev.labjournal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The ingest benchmark (see bench/README.md): raw Kafka produce, raw PostgreSQL COPY and end-to-end ingest of the
 * same load, one after the other, with the ratios.
 */
public final class Bench {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final String COUNT_SQL = "SELECT coalesce(sum(count), 0) FROM metric_summaries WHERE tenant_id = ?";

    private final Options options;
    private TenantAdmin admin;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private final CpuSampler cpu;
    private final String suffix =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

    private Double kafkaPointsPerSecond;
    private Double kafkaRecordsPerSecond;
    private Double kafkaMegabytesPerSecond;
    private Double copyRowsPerSecond;
    private Double e2ePointsPerSecond;
    private double[] historyMillis;

    private Bench(Options options) {
        this.options = options;
        this.cpu = new CpuSampler(options.stateDir());
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new Bench(Options.parse(args)).run();
        } catch (BenchException e) {
            if (e.exitCode() == 0) {
                System.out.print(e.getMessage());
            } else {
                System.out.flush();
                System.err.println("bench: " + e.getMessage());
            }
            code = e.exitCode();
        } catch (Exception e) {
            System.out.flush();
            System.err.println("bench: failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private int run() throws Exception {
        String tenant =
                "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + suffix;
        System.out.printf(
                Locale.ROOT,
                "Lab Journal ingest benchmark: %,d points in %,d run.metrics events of %,d points over %,d runs%n",
                options.points(),
                options.events(),
                options.pointsPerEvent(),
                options.runs());
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, load average %s; phases: %s%n",
                Runtime.getRuntime().availableProcessors(),
                CpuSampler.loadAverage(),
                options.phases().stream()
                        .map(p -> p.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));

        try (Kafka kafka = Kafka.connect(options);
                Connection db = Database.connect(options)) {
            checkSchema(db);
            int partitions = kafka.partitions(options.topic());
            if (options.phases().contains(Options.Phase.E2E) || options.phases().contains(Options.Phase.HISTORY)) {
                ready("ingest-service", options.ingestUrl());
                ready("query-service", options.queryUrl());
            }
            if (options.phases().contains(Options.Phase.E2E)) {
                createTenant(tenant);
                createTenant(tenant + "-warm-up");
            }

            long t0 = System.nanoTime();
            Workload load = Workload.build(tenant, options.events(), options.pointsPerEvent(), options.runs());
            System.out.printf(
                    Locale.ROOT,
                    "load: tenant %s, %,d events, %.1f KB per event, %.1f MB in all (built in %.1f s)%n",
                    tenant,
                    load.events.size(),
                    load.payloadBytes / (double) load.events.size() / 1024,
                    load.payloadBytes / 1e6,
                    (System.nanoTime() - t0) / 1e9);

            int step = 0;
            int steps = options.phases().size();
            if (options.phases().contains(Options.Phase.KAFKA)) {
                System.out.printf("%n[%d/%d] raw Kafka produce%n", ++step, steps);
                settle(kafka, db);
                kafkaBaseline(kafka, load, partitions);
            }
            if (options.phases().contains(Options.Phase.COPY)) {
                System.out.printf("%n[%d/%d] raw PostgreSQL COPY%n", ++step, steps);
                settle(kafka, db);
                copyBaseline(load);
            }
            if (options.phases().contains(Options.Phase.E2E)) {
                System.out.printf("%n[%d/%d] end to end: Kafka -> ingest-service -> PostgreSQL%n", ++step, steps);
                warmUp(kafka, db, tenant + "-warm-up");
                settle(kafka, db);
                endToEnd(kafka, db, load);
            }
            if (options.phases().contains(Options.Phase.HISTORY)) {
                System.out.printf(
                        "%n[%d/%d] metric history: a 1,000,000-point series read with max_points=%d%n",
                        ++step, steps, HistoryBench.MAX_POINTS);
                settle(kafka, db);
                HistoryBench history = new HistoryBench(options, http);
                history.run(kafka, db, tenant + "-history", admin());
                historyMillis = history.millis;
            }
        }
        return summary();
    }

    private void kafkaBaseline(Kafka kafka, Workload load, int partitions) throws Exception {
        String topic = "labjournal.bench-" + suffix;
        kafka.createTopic(topic, partitions);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("labjournal-bench-baseline")) {
            Kafka.warm(producer, topic);
            // Warm the client up (JIT, connections) outside the clock with a twentieth of the load.
            Kafka.produce(producer, topic, load.events.subList(0, Math.max(1, load.events.size() / 20)));
            System.out.printf(
                    Locale.ROOT,
                    "  scratch topic %s (%d partitions), acks=all, batch.size=%d, linger.ms=%d, compression=%s%n",
                    topic,
                    partitions,
                    options.batchSize(),
                    options.lingerMs(),
                    options.compression());
            CpuSampler.Sample before = cpu.sample();
            Kafka.Produced produced = Kafka.produce(producer, topic, load.events);
            CpuSampler.Sample after = cpu.sample();
            double seconds = produced.seconds();
            kafkaRecordsPerSecond = produced.records() / seconds;
            kafkaPointsPerSecond = load.points() / seconds;
            kafkaMegabytesPerSecond = produced.bytes() / 1e6 / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "  %,d records (%,d points) acknowledged in %.2f s: %,.0f records/s, %,.0f points/s, %.1f MB/s%n",
                    produced.records(),
                    load.points(),
                    seconds,
                    kafkaRecordsPerSecond,
                    kafkaPointsPerSecond,
                    kafkaMegabytesPerSecond);
            System.out.println("  " + cpu.describe(before, after) + "; load average " + after.loadAverage());
        } finally {
            kafka.deleteTopic(topic);
        }
    }

    private void copyBaseline(Workload load) throws Exception {
        long t0 = System.nanoTime();
        int streams = options.copyStreams();
        List<List<ByteBuffer>> data = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            data.add(load.copyData(options.copyFormat(), 1 << 20, i, streams));
        }
        long bytes =
                data.stream().flatMap(List::stream).mapToLong(ByteBuffer::limit).sum();
        String table = "bench_copy_" + suffix;
        System.out.printf(
                Locale.ROOT,
                "  %s (FORMAT %s) of %,d rows (%.1f MB, encoded in %.1f s) into %s (LIKE metric_points"
                        + " INCLUDING ALL: same columns and index, logged), dropped after%n",
                streams == 1 ? "one COPY" : streams + " parallel COPYs",
                options.copyFormat().name().toLowerCase(Locale.ROOT),
                load.points(),
                bytes / 1e6,
                (System.nanoTime() - t0) / 1e9,
                table);
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            for (int i = 0; i < streams; i++) {
                connections.add(Database.connect(options));
            }
            Database.createScratch(connections.get(0), table);
            CpuSampler.Sample before = cpu.sample();
            long start = System.nanoTime();
            List<Future<Long>> copies = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                Connection conn = connections.get(i);
                List<ByteBuffer> part = data.get(i);
                copies.add(pool.submit(() -> Database.copy(conn, table, options.copyFormat(), part)));
            }
            long rows = 0;
            for (Future<Long> copy : copies) {
                rows += copy.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuSampler.Sample after = cpu.sample();
            if (rows != load.points()) {
                throw new BenchException(1, "COPY reported " + rows + " rows instead of " + load.points());
            }
            copyRowsPerSecond = rows / seconds;
            System.out.printf(
                    Locale.ROOT, "  %,d rows committed in %.2f s: %,.0f rows/s%n", rows, seconds, copyRowsPerSecond);
            System.out.println("  " + cpu.describe(before, after) + "; load average " + after.loadAverage());
        } finally {
            pool.shutdownNow();
            if (!connections.isEmpty()) {
                Database.dropScratch(connections.get(0), table);
            }
            for (Connection conn : connections) {
                conn.close();
            }
        }
    }

    /**
     * Runs a fifth of the load through the platform under another tenant, outside the clock, so that the services' JIT
     * has compiled the hot path and the figure is the steady state (as the Kafka baseline warms its producer); then
     * deletes that tenant's data.
     */
    private void warmUp(Kafka kafka, Connection db, String tenant) throws Exception {
        int events = Math.max(1, options.events() / 5);
        Workload warm = Workload.build(tenant, events, options.pointsPerEvent(), Math.min(options.runs(), events));
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("labjournal-bench-warm-up");
                PreparedStatement count = db.prepareStatement(COUNT_SQL)) {
            count.setString(1, tenant);
            Kafka.produce(producer, options.topic(), warm.events);
            long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
            while (read(count) < warm.points()) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException(
                            BenchException.TIMEOUT,
                            "timeout: the warm-up load of " + warm.points() + " points was not committed after "
                                    + options.timeoutSeconds()
                                    + " s; look at deploy/local/.state/logs/ingest-service.log");
                }
                Kafka.sleep(POLL_MILLIS);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  warm-up (not measured): %,d points under tenant %s committed in %.1f s%n",
                warm.points(),
                tenant,
                (System.nanoTime() - start) / 1e9);
        Database.deleteTenantData(db, tenant);
    }

    private void endToEnd(Kafka kafka, Connection db, Workload load) throws Exception {
        String topic = options.topic();
        String tenant = load.tenant;
        long total = load.points();
        List<Integer> spread = Kafka.keysPerPartition(
                kafka.partitions(topic),
                load.events.stream().map(Workload.Event::runId).collect(Collectors.toCollection(TreeSet::new)));
        System.out.printf(
                Locale.ROOT,
                "  tenant %s; %,d events to %s keyed by run id (runs per partition %s); committed points counted"
                        + " every %d ms as sum(count) of metric_summaries%n",
                tenant,
                load.events.size(),
                topic,
                spread,
                POLL_MILLIS);
        if (Database.scalar(db, COUNT_SQL, tenant) != 0) {
            throw new BenchException(1, "the tenant " + tenant + " already has metric points");
        }
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer("labjournal-bench-e2e");
                PreparedStatement count = db.prepareStatement(COUNT_SQL)) {
            count.setString(1, tenant);
            Kafka.warm(producer, topic);
            AtomicReference<Kafka.Produced> produced = new AtomicReference<>();
            AtomicReference<Throwable> produceFailure = new AtomicReference<>();
            Thread producing = new Thread(
                    () -> {
                        try {
                            produced.set(Kafka.produce(producer, topic, load.events));
                        } catch (Throwable e) {
                            produceFailure.set(e);
                        }
                    },
                    "bench-producer");

            CpuSampler.Sample before = cpu.sample();
            long start = System.nanoTime();
            producing.start();
            long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
            long firstPoint = 0;
            long nextProgress = start + PROGRESS_NANOS;
            long committed = 0;
            long end;
            while (true) {
                committed = read(count);
                long now = System.nanoTime();
                if (committed > 0 && firstPoint == 0) {
                    firstPoint = now;
                }
                if (committed >= total) {
                    end = now;
                    break;
                }
                if (produceFailure.get() != null) {
                    throw produceFailure.get() instanceof BenchException b
                            ? b
                            : new BenchException(
                                    BenchException.UNREACHABLE,
                                    "producing the load failed: " + produceFailure.get(),
                                    produceFailure.get());
                }
                if (now > deadline) {
                    throw new BenchException(
                            BenchException.TIMEOUT,
                            String.format(
                                    Locale.ROOT,
                                    "timeout: after %d s only %,d of %,d points are committed in PostgreSQL"
                                            + " (ingest consumer lag %s records). Look at"
                                            + " deploy/local/.state/logs/ingest-service.log and the dead-letter"
                                            + " topic %s.dlq",
                                    options.timeoutSeconds(),
                                    committed,
                                    total,
                                    lagOrUnknown(kafka),
                                    topic));
                }
                if (now >= nextProgress) {
                    double elapsed = (now - start) / 1e9;
                    System.out.printf(
                            Locale.ROOT,
                            "  ... %5.1f s: %,10d points committed (%,.0f points/s so far), load average %s%n",
                            elapsed,
                            committed,
                            committed / elapsed,
                            CpuSampler.loadAverage());
                    nextProgress += PROGRESS_NANOS;
                }
                Kafka.sleep(POLL_MILLIS);
            }
            CpuSampler.Sample after = cpu.sample();
            producing.join(TimeUnit.SECONDS.toMillis(60));
            double seconds = (end - start) / 1e9;
            e2ePointsPerSecond = total / seconds;
            Kafka.Produced p = produced.get();
            System.out.printf(
                    Locale.ROOT,
                    "  all events acknowledged by Kafka after %s; first point committed after %.2f s;"
                            + " all %,d points committed after %.2f s%n",
                    p == null ? "?" : String.format(Locale.ROOT, "%.2f s", (p.endNanos() - start) / 1e9),
                    (firstPoint - start) / 1e9,
                    total,
                    seconds);
            System.out.printf(Locale.ROOT, "  end to end: %,.0f points/s%n", e2ePointsPerSecond);
            System.out.println("  " + cpu.describe(before, after) + "; load average " + after.loadAverage());

            long rows = Database.scalar(db, "SELECT count(*) FROM metric_history WHERE tenant_id = ?", tenant);
            Database.Batches b = Database.batches(db, tenant);
            System.out.printf(
                    Locale.ROOT,
                    "  check: metric_points holds %,d rows for the tenant (%s)%n",
                    rows,
                    rows == total ? "as published" : "EXPECTED " + total);
            System.out.printf(
                    Locale.ROOT,
                    "  ingest transactions: %d, events per transaction min %d / avg %.1f / max %d (%,.0f points),"
                            + " one every %.0f ms on average%n",
                    b.transactions(),
                    b.minEvents(),
                    b.avgEvents(),
                    b.maxEvents(),
                    b.avgEvents() * load.pointsPerEvent,
                    b.transactions() > 1 ? b.spanSeconds() * 1000 / (b.transactions() - 1) : 0.0);
            System.out.println("  events per transaction, in order: " + Database.batchSizes(db, tenant));
            if (rows != total) {
                throw new BenchException(1, "metric_points holds " + rows + " rows instead of " + total);
            }
        }
        if (!options.keepData()) {
            long t0 = System.nanoTime();
            Database.deleteTenantData(db, tenant);
            System.out.printf(
                    Locale.ROOT,
                    "  deleted the tenant's runs and points again (%.1f s; --keep-data keeps them)%n",
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private int summary() {
        System.out.println();
        System.out.println("Results");
        System.out.println("| what | figure |");
        System.out.println("| --- | --- |");
        if (kafkaPointsPerSecond != null) {
            System.out.printf(
                    Locale.ROOT,
                    "| raw Kafka produce (acks=all) | %,.0f points/s (%,.0f records/s, %.1f MB/s) |%n",
                    kafkaPointsPerSecond,
                    kafkaRecordsPerSecond,
                    kafkaMegabytesPerSecond);
        }
        if (copyRowsPerSecond != null) {
            System.out.printf(
                    Locale.ROOT,
                    "| raw PostgreSQL COPY (%s, %d stream%s) | %,.0f rows/s |%n",
                    options.copyFormat().name().toLowerCase(Locale.ROOT),
                    options.copyStreams(),
                    options.copyStreams() == 1 ? "" : "s",
                    copyRowsPerSecond);
        }
        if (e2ePointsPerSecond != null) {
            System.out.printf(Locale.ROOT, "| end to end | %,.0f points/s |%n", e2ePointsPerSecond);
        }
        if (e2ePointsPerSecond != null && copyRowsPerSecond != null) {
            System.out.printf(
                    Locale.ROOT, "| end to end / COPY | %.1f %% |%n", 100 * e2ePointsPerSecond / copyRowsPerSecond);
        }
        if (e2ePointsPerSecond != null && kafkaPointsPerSecond != null) {
            System.out.printf(
                    Locale.ROOT,
                    "| end to end / Kafka produce | %.1f %% |%n",
                    100 * e2ePointsPerSecond / kafkaPointsPerSecond);
        }
        if (historyMillis != null) {
            System.out.printf(
                    Locale.ROOT,
                    "| metric history, 1,000,000 points, max_points=%d | p50 %.1f ms, p99 %.1f ms |%n",
                    HistoryBench.MAX_POINTS,
                    historyMillis[0],
                    historyMillis[1]);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT history_p50_ms=%.1f history_p99_ms=%.1f%n",
                    historyMillis[0],
                    historyMillis[1]);
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT e2e_points_per_s=%s copy_rows_per_s=%s kafka_points_per_s=%s load_average=%s%n",
                fmt(e2ePointsPerSecond),
                fmt(copyRowsPerSecond),
                fmt(kafkaPointsPerSecond),
                CpuSampler.loadAverage().replace(' ', '/'));

        boolean missed = false;
        if (e2ePointsPerSecond != null) {
            boolean rate = e2ePointsPerSecond >= options.minPointsPerSecond();
            missed |= !rate;
            System.out.printf(
                    Locale.ROOT,
                    "target: end to end >= %,.0f points/s: %s%n",
                    options.minPointsPerSecond(),
                    rate ? "met" : "MISSED");
            if (copyRowsPerSecond != null) {
                boolean ratio = e2ePointsPerSecond >= options.minCopyRatio() * copyRowsPerSecond;
                missed |= !ratio;
                System.out.printf(
                        Locale.ROOT,
                        "target: end to end >= %.0f %% of COPY: %s%n",
                        100 * options.minCopyRatio(),
                        ratio ? "met" : "MISSED");
            }
        }
        return missed && options.enforceTargets() ? BenchException.TARGET_MISSED : 0;
    }

    private static String fmt(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    /**
     * Waits (at most --settle seconds) until the ingest consumer has nothing left to do and no autovacuum worker
     * runs, so that a phase does not measure the tail of the previous one or someone else's load.
     */
    private void settle(Kafka kafka, Connection db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.settleSeconds());
        long lag;
        int vacuums;
        int active;
        while (true) {
            lag = kafka.ingestLag();
            vacuums = Database.autovacuumWorkers(db);
            active = Database.otherActiveSessions(db);
            if ((lag == 0 && vacuums == 0) || System.nanoTime() > deadline) {
                break;
            }
            Kafka.sleep(1000);
        }
        System.out.printf(
                Locale.ROOT,
                "  before: ingest lag %d records, %d autovacuum workers, %d other active sessions, load average %s%n",
                lag,
                vacuums,
                active,
                CpuSampler.loadAverage());
        if (lag != 0 || vacuums != 0) {
            System.out.println("  WARNING: the platform is busy with other work; this phase's figure may be"
                    + " disturbed (another test or load running?)");
        }
    }

    private static String lagOrUnknown(Kafka kafka) {
        try {
            return String.format(Locale.ROOT, "%,d", kafka.ingestLag());
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static long read(PreparedStatement count) throws SQLException {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void checkSchema(Connection db) {
        try (PreparedStatement st = db.prepareStatement("SELECT 1 FROM metric_points LIMIT 0")) {
            st.execute();
        } catch (SQLException e) {
            throw new BenchException(
                    BenchException.UNREACHABLE,
                    "PostgreSQL has no metric_points table (have the services run their migrations?): "
                            + e.getMessage(),
                    e);
        }
    }

    private void ready(String name, String baseUrl) {
        String url = baseUrl + "/q/health/ready";
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(HTTP_TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchException(
                        BenchException.UNREACHABLE,
                        name + " is not ready (" + url + " answered " + response.statusCode() + ": " + response.body()
                                + ")");
            }
        } catch (IOException e) {
            throw new BenchException(
                    BenchException.UNREACHABLE,
                    name + " is not reachable at " + url + " (is the platform up? deploy/local/labjournal status): "
                            + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(1, "interrupted");
        }
    }

    private void createTenant(String tenant) {
        admin().createTenant(tenant, "Benchmark " + tenant);
    }

    /** The administrator's API, with the key file read once and only by the phases that make tenants. */
    private TenantAdmin admin() {
        if (admin == null) {
            admin = TenantAdmin.fromKeyFile(new Http(), options.queryUrl(), options.adminKeyFile());
        }
        return admin;
    }
}
