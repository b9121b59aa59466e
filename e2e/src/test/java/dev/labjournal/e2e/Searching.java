package dev.labjournal.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Search calls of the query service, and waiting for a run to become searchable. */
final class Searching {

    private Searching() {}

    static Platform.Reply search(String key, String q) throws Exception {
        return Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), key);
    }

    /** Waits up to 30 seconds until searching {@code q} returns the run, and returns that hit. */
    static JsonNode awaitHit(String key, String q, String runId) {
        return awaitHit(key, q, runId, Duration.ofSeconds(30));
    }

    /** Waits up to {@code atMost} until searching {@code q} returns the run, and returns that hit. */
    static JsonNode awaitHit(String key, String q, String runId, Duration atMost) {
        JsonNode[] hit = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            Platform.Reply reply = search(key, q);
            if (reply.status() != 200) {
                throw new AssertionError("search failed: " + reply.status() + " " + reply.body());
            }
            for (JsonNode run : reply.body().get("runs")) {
                if (run.get("run_id").asText().equals(runId)) {
                    hit[0] = run;
                    return true;
                }
            }
            return false;
        });
        return hit[0];
    }
}
