package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** At-least-once delivery made exactly-once in effect: replaying events changes nothing. */
class ReplayIT {

    @Test
    void replayingTheSameEventsLeavesTheDatabaseAndTheIndexUnchanged() throws Exception {
        TestTenant tenant = TestTenant.create("replay");
        List<Kcat.KeyedLine> events = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            String runId = "replayed-" + r + "-" + UUID.randomUUID();
            events.add(line(
                    runId,
                    Events.started(tenant.id(), "speech", runId, "conformer " + r)
                            .toString()));
            for (int batch = 0; batch < 3; batch++) {
                events.add(line(
                        runId,
                        Events.metrics(tenant.id(), "speech", runId, batch * 100, 100)
                                .toString()));
            }
            events.add(line(
                    runId,
                    Events.note(tenant.id(), "speech", runId, "plateau after epoch 3")
                            .toString()));
            events.add(line(
                    runId,
                    Events.failed(tenant.id(), "speech", runId, "RuntimeError", "NaN loss after warmup")
                            .toString()));
        }

        Kcat.produce("labjournal.run-events", events);
        awaitQuiet();
        Map<String, Long> counts = Database.counts(tenant.id());
        assertThat(counts)
                .containsEntry("runs", 2L)
                .containsEntry("processed_events", (long) events.size())
                .containsEntry("metric_points", 2L * 3 * 101)
                .containsEntry("metric_summaries", 4L)
                .containsEntry("run_params", 4L)
                .containsEntry("run_notes", 2L);
        String digest = Database.contentDigest(tenant.id());
        JsonNode documents = indexedDocuments(tenant.id());
        assertThat(documents.get("hits").get("total").get("value").asLong()).isEqualTo(2);

        Kcat.produce("labjournal.run-events", events);
        awaitQuiet();

        assertThat(Database.counts(tenant.id())).isEqualTo(counts);
        assertThat(Database.contentDigest(tenant.id())).isEqualTo(digest);
        assertThat(indexedDocuments(tenant.id()).get("hits")).isEqualTo(documents.get("hits"));
    }

    @Test
    void aReplayAnnouncesItsRunsAgainSoAnIndexThatMissedThemCatchesUp() throws Exception {
        TestTenant tenant = TestTenant.create("replay-repair");
        String runId = "missed-" + UUID.randomUUID();
        List<Kcat.KeyedLine> events = List.of(
                line(
                        runId,
                        Events.started(tenant.id(), "speech", runId, "whisper tiny")
                                .toString()),
                line(runId, Events.metrics(tenant.id(), "speech", runId, 0, 10).toString()));
        Kcat.produce("labjournal.run-events", events);
        awaitQuiet();
        JsonNode indexed = indexedDocuments(tenant.id()).get("hits");
        assertThat(indexed.get("total").get("value").asLong()).isEqualTo(1);

        // As if the run-changes message of that batch had been lost (a crash between the commit and the publish):
        // the document goes, at its own version, so that an announcement of that version is welcome again.
        long version = indexed.get("hits").get(0).get("_version").asLong();
        Platform.Reply deleted = Platform.send(HttpRequest.newBuilder(URI.create(Platform.OPENSEARCH_URL
                        + "/labjournal-runs/_doc/" + tenant.id() + ":" + runId + "?version=" + version
                        + "&version_type=external_gte"))
                .DELETE()
                .build());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(indexedDocuments(tenant.id())
                        .get("hits")
                        .get("total")
                        .get("value")
                        .asLong())
                .isZero();

        Kcat.produce("labjournal.run-events", events);
        awaitQuiet();

        assertThat(indexedDocuments(tenant.id()).get("hits")).isEqualTo(indexed);
    }

    private static Kcat.KeyedLine line(String key, String json) {
        return new Kcat.KeyedLine(key, json);
    }

    /** Waits until both consumers have committed everything published so far. */
    private static void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> ConsumerLag.of(ConsumerLag.INGEST_GROUP, "labjournal.run-events") == 0
                        && ConsumerLag.of(ConsumerLag.INDEXER_GROUP, "labjournal.run-changes") == 0);
    }

    private static JsonNode indexedDocuments(String tenant) throws Exception {
        Platform.send(HttpRequest.newBuilder(URI.create(Platform.OPENSEARCH_URL + "/labjournal-runs/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        String query = "{\"query\": {\"term\": {\"tenant\": \"" + tenant + "\"}}, \"sort\": [\"run_id\"],"
                + " \"version\": true}";
        Platform.Reply reply =
                Platform.send(HttpRequest.newBuilder(URI.create(Platform.OPENSEARCH_URL + "/labjournal-runs/_search"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(query))
                        .build());
        assertThat(reply.status()).isEqualTo(200);
        return reply.body();
    }
}
