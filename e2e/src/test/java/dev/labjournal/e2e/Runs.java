package dev.labjournal.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.function.Predicate;

/** Run detail calls of the query service (PostgreSQL's view of a run), and waiting for a run to reach a state. */
final class Runs {

    private Runs() {}

    static Platform.Reply get(String key, String runId) throws Exception {
        return Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, key);
    }

    /** Waits until the run exists and satisfies the condition, and returns it. */
    static JsonNode awaitRun(String key, String runId, Predicate<JsonNode> condition) {
        JsonNode[] run = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .alias("run " + runId)
                .until(() -> {
                    Platform.Reply reply = get(key, runId);
                    run[0] = reply.body();
                    return reply.status() == 200 && condition.test(reply.body());
                });
        return run[0];
    }
}
