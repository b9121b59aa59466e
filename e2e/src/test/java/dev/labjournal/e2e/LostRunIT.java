package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * D4's rule "a run with no heartbeat or event for the configured time is marked {@code lost}", end to end: a silent
 * run turns {@code lost} in PostgreSQL and in the search index, a run that sends heartbeats stays {@code running}, a
 * finished run keeps its outcome, and any later event brings the lost run back to {@code running}.
 *
 * <p>The shared ingest-service waits 30 minutes, so this test starts a second one from the same build with a
 * lost-after of {@value #LOST_AFTER_SECONDS} s. Its consumer reads a topic of its own that nothing is published to,
 * so the events still go through the shared instance and only the second one's sweeper matters. While it runs, it
 * marks every silent running run of the shared database lost, whatever the tenant (that is the rule), so it is
 * stopped as soon as the lost marks are checked. The index is read through the search API (the run detail API reads
 * PostgreSQL).
 */
class LostRunIT {

    private static final int LOST_AFTER_SECONDS = 5;
    private static final String IDLE_TOPIC = "labjournal.lost-run-it";
    private static final Path LOG = Platform.ROOT.resolve("e2e/target/lost-run-it-ingest.log");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String PROJECT = "lost";

    private static Process sweeper;

    @BeforeAll
    static void startAnIngestServiceWithAShortLostAfter() throws Exception {
        Platform.ensureUp();
        Path jar = Platform.ROOT.resolve("ingest-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build it first (./mvnw -DskipTests package -pl ingest-service -am)");
        }
        createIdleTopic();
        int port = freePort();
        Files.createDirectories(LOG.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-Dquarkus.http.port=" + port,
                        "-Dlabjournal.ingest.lost-after=" + LOST_AFTER_SECONDS + "s",
                        "-Dlabjournal.ingest.lost-check-interval=1s",
                        "-Dmp.messaging.incoming.run-events.topic=" + IDLE_TOPIC,
                        // A group of its own, so no other member (say, of a killed earlier run) holds the partition.
                        "-Dmp.messaging.incoming.run-events.group.id=labjournal-lost-run-it-" + UUID.randomUUID(),
                        // One consumer for the one partition of its idle topic.
                        "-Dmp.messaging.incoming.run-events.concurrency=1",
                        "-jar",
                        jar.toString())
                .directory(LOG.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(LOG.toFile());
        builder.environment().put("LJ_KAFKA_BOOTSTRAP", Platform.KAFKA);
        builder.environment().put("LJ_DB_PORT", Platform.env("LJ_PG_PORT", "5432"));
        sweeper = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(sweeper::destroyForcibly));

        String ready = "http://127.0.0.1:" + port + "/q/health/ready";
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (!isReady(ready)) {
            if (!sweeper.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the second ingest-service "
                        + (sweeper.isAlive() ? "is not ready after " + READY_TIMEOUT : "exited")
                        + "; the end of " + LOG + ":\n" + tail(LOG));
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopTheSecondIngestService() throws InterruptedException {
        if (sweeper != null && sweeper.isAlive()) {
            sweeper.destroy();
            if (!sweeper.waitFor(20, TimeUnit.SECONDS)) {
                sweeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aSilentRunIsMarkedLostUntilItSendsAnEventAgain() throws Exception {
        TestTenant tenant = TestTenant.create("lost");
        String silent = "silent-" + UUID.randomUUID();
        String alive = "alive-" + UUID.randomUUID();
        String done = "done-" + UUID.randomUUID();
        publish(
                Events.started(tenant.id(), PROJECT, silent, "left silent"),
                Events.started(tenant.id(), PROJECT, alive, "sends heartbeats"),
                Events.started(tenant.id(), PROJECT, done, "finishes"),
                Events.event(
                        tenant.id(), PROJECT, done, "finished", Events.data().put("status", "succeeded")));

        AtomicLong step = new AtomicLong();
        AtomicReference<Exception> heartbeatFailure = new AtomicReference<>();
        ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();
        try {
            heart.scheduleAtFixedRate(
                    () -> {
                        try {
                            publish(Events.heartbeat(tenant.id(), PROJECT, alive, step.incrementAndGet()));
                        } catch (Exception e) {
                            heartbeatFailure.compareAndSet(null, e);
                        }
                    },
                    0,
                    1,
                    TimeUnit.SECONDS);

            await("the silent run is lost")
                    .atMost(BOUND)
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        assertThat(stored(tenant)).as("runs.status").containsEntry(silent, "lost");
                        assertThat(searched(tenant)).as("status in search").containsEntry(silent, "lost");
                    });

            Instant until = Instant.now().plusSeconds(LOST_AFTER_SECONDS + 2);
            while (Instant.now().isBefore(until)) {
                assertThat(stored(tenant))
                        .as("runs.status (heartbeats sent: %d, failure: %s)", step.get(), heartbeatFailure.get())
                        .containsEntry(alive, "running")
                        .containsEntry(done, "succeeded");
                Thread.sleep(250);
            }
            assertThat(searched(tenant))
                    .as("status in search")
                    .containsEntry(alive, "running")
                    .containsEntry(done, "succeeded")
                    .containsEntry(silent, "lost");
        } finally {
            heart.shutdownNow();
            stopTheSecondIngestService();
        }

        publish(Events.heartbeat(tenant.id(), PROJECT, silent, 1));
        await("the lost run is running again")
                .atMost(BOUND)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(stored(tenant)).as("runs.status").containsEntry(silent, "running");
                    assertThat(searched(tenant)).as("status in search").containsEntry(silent, "running");
                });
    }

    private static void publish(ObjectNode... events) throws IOException, InterruptedException {
        Kcat.produce(
                "labjournal.run-events",
                List.of(events).stream()
                        .map(e -> new Kcat.KeyedLine(e.get("subject").asText(), e.toString()))
                        .toList());
    }

    /** Run id to status, as PostgreSQL holds them. */
    private static Map<String, String> stored(TestTenant tenant) throws Exception {
        Map<String, String> statuses = new HashMap<>();
        try (Connection conn = Database.connect();
                PreparedStatement st = conn.prepareStatement("SELECT run_id, status FROM runs WHERE tenant_id = ?")) {
            st.setString(1, tenant.id());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return statuses;
    }

    /** Run id to status, as the search API (the index) returns them. */
    private static Map<String, String> searched(TestTenant tenant) throws Exception {
        Platform.Reply reply = Searching.search(tenant.readKey(), "");
        assertThat(reply.status()).as("search: %s", reply.body()).isEqualTo(200);
        Map<String, String> statuses = new HashMap<>();
        for (JsonNode run : reply.body().get("runs")) {
            statuses.put(run.get("run_id").asText(), run.get("status").asText());
        }
        return statuses;
    }

    private static void createIdleTopic() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(IDLE_TOPIC, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static boolean isReady(String url) {
        try {
            return Platform.send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build())
                            .status()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
