package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Lossless under crashes: a 500,000-point load is disturbed in the middle (ingest-service killed with SIGKILL, the
 * Kafka broker restarted, PostgreSQL restarted) and PostgreSQL must then hold exactly what was published: nothing
 * lost, nothing twice — down to the per-key summary counts.
 */
class CrashSafetyIT {

    private static final int RUNS = 50;
    private static final int METRIC_EVENTS_PER_RUN = 10;
    private static final int POINTS_PER_EVENT = 1_000;
    private static final long TOTAL_POINTS = (long) RUNS * METRIC_EVENTS_PER_RUN * POINTS_PER_EVENT;

    @Test
    void ingestServiceKilledWithSigkillMidLoad() throws Exception {
        TestTenant tenant = TestTenant.create("crash-ingest");
        List<ProducerRecord<String, byte[]>> load = load(tenant.id());
        int half = load.size() / 2;

        publish(load.subList(0, half));
        awaitSomePoints(tenant.id());
        LocalStack.kill9("ingest-service");
        try {
            publish(load.subList(half, load.size()));
        } finally {
            LocalStack.run("up");
        }

        assertExactlyOnce(tenant.id(), load.size());
    }

    @Test
    void kafkaBrokerRestartedMidLoad() throws Exception {
        TestTenant tenant = TestTenant.create("crash-kafka");
        List<ProducerRecord<String, byte[]>> load = load(tenant.id());
        int half = load.size() / 2;

        publish(load.subList(0, half));
        awaitSomePoints(tenant.id());
        LocalStack.run("down", "kafka");
        try {
            awaitReadiness(false);
        } finally {
            LocalStack.run("up");
        }
        awaitReadiness(true);
        publish(load.subList(half, load.size()));

        assertExactlyOnce(tenant.id(), load.size());
    }

    @Test
    void postgresRestartedMidLoad() throws Exception {
        TestTenant tenant = TestTenant.create("crash-pg");
        List<ProducerRecord<String, byte[]>> load = load(tenant.id());
        int half = load.size() / 2;

        publish(load.subList(0, half));
        awaitSomePoints(tenant.id());
        LocalStack.run("down", "postgres");
        try {
            assertThat(canConnectToPostgres())
                    .as("PostgreSQL is down (this test needs the PostgreSQL that labjournal started)")
                    .isFalse();
            awaitReadiness(false);
            publish(load.subList(half, load.size()));
        } finally {
            LocalStack.run("up");
        }
        awaitReadiness(true);

        assertExactlyOnce(tenant.id(), load.size());
    }

    /** ingest-service's /q/health/ready follows the reachability of Kafka and PostgreSQL. */
    private static void awaitReadiness(boolean ready) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(Platform.send(
                                        HttpRequest.newBuilder(URI.create(Platform.INGEST_URL + "/q/health/ready"))
                                                .build())
                                .status())
                        .as("ingest-service /q/health/ready")
                        .isEqualTo(ready ? 200 : 503));
    }

    /** One run.started and ten 1,000-point metrics events per run, keyed by run id. */
    private static List<ProducerRecord<String, byte[]>> load(String tenant) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            String runId = "load-" + r + "-" + UUID.randomUUID();
            runs.add(runId);
            records.add(record(runId, Events.started(tenant, "crash", runId, "load " + r)));
        }
        for (int e = 0; e < METRIC_EVENTS_PER_RUN; e++) {
            for (String runId : runs) {
                ObjectNode event = Events.event(tenant, "crash", runId, "metrics", Events.data());
                var points = ((ObjectNode) event.get("data")).putArray("metrics");
                for (int p = 0; p < POINTS_PER_EVENT; p++) {
                    int step = e * POINTS_PER_EVENT + p;
                    points.addObject()
                            .put("key", "loss")
                            .put("value", 1.0 / (step + 1))
                            .put("step", step);
                }
                records.add(record(runId, event));
            }
        }
        return records;
    }

    private static ProducerRecord<String, byte[]> record(String runId, ObjectNode event) {
        return new ProducerRecord<>(
                "labjournal.run-events", runId, event.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void publish(List<ProducerRecord<String, byte[]>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private static void awaitSomePoints(String tenant) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> points(tenant) > 0);
    }

    private static void assertExactlyOnce(String tenant, int events) throws Exception {
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> points(tenant) >= TOTAL_POINTS
                        && ConsumerLag.of(ConsumerLag.INGEST_GROUP, "labjournal.run-events") == 0);

        Map<String, Long> counts = Database.counts(tenant);
        assertThat(counts)
                .containsEntry("runs", (long) RUNS)
                .containsEntry("metric_points", TOTAL_POINTS)
                .containsEntry("metric_summaries", (long) RUNS)
                .containsEntry("processed_events", (long) events)
                .containsEntry("run_params", 2L * RUNS);
        assertThat(summaryCountTotal(tenant))
                .as("every point counted once in the per-key summaries")
                .isEqualTo(TOTAL_POINTS);
    }

    private static long points(String tenant) throws Exception {
        return scalar("SELECT count(*) FROM metric_history WHERE tenant_id = ?", tenant);
    }

    private static long summaryCountTotal(String tenant) throws Exception {
        return scalar("SELECT coalesce(sum(count), 0) FROM metric_summaries WHERE tenant_id = ?", tenant);
    }

    private static long scalar(String sql, String tenant) throws Exception {
        try (Connection conn = Database.connect();
                PreparedStatement st = conn.prepareStatement(sql)) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean canConnectToPostgres() {
        try (Connection conn = Database.connect()) {
            return conn.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
