package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String PROJECT = "lost";

    private static ExtraIngest sweeper;

    @BeforeAll
    static void startAnIngestServiceWithAShortLostAfter() throws Exception {
        Platform.ensureUp();
        ExtraIngest.createTopic(IDLE_TOPIC, Map.of());
        sweeper = ExtraIngest.start(
                "lost-run-it",
                IDLE_TOPIC,
                List.of(
                        "-Dlabjournal.ingest.lost-after=" + LOST_AFTER_SECONDS + "s",
                        "-Dlabjournal.ingest.lost-check-interval=1s"));
    }

    @AfterAll
    static void stopTheSecondIngestService() throws InterruptedException {
        if (sweeper != null) {
            sweeper.close();
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
}
