package dev.labjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * "Has this run been done before?" Asked at start, on the sender's thread, of {@code POST
 * {LABJOURNAL_URL}/api/v1/duplicates} with the run's project, commit and params (the inputs of the fingerprint
 * ingest computes): when earlier runs of the tenant had them, one warning says how they ended. Needs a key with the
 * {@code read} scope; any other answer, or no answer within 5 s, says nothing and delays nothing further.
 */
final class DuplicateCheck {

    private static final System.Logger LOG = System.getLogger(LabJournal.class.getPackageName());
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int RUNS_SHOWN = 3;

    private DuplicateCheck() {}

    static void warnIfRepeated(LabJournalConfig config, HttpClient http, String project, ObjectNode started) {
        if (config.url() == null || config.apiKey() == null) {
            return;
        }
        ObjectNode body = EventEncoder.JSON.createObjectNode().put("project", project);
        JsonNode commit = started.at("/source/commit");
        if (commit.isTextual()) {
            body.put("commit", commit.asText());
        }
        body.putArray("dataset_digests");
        body.set("params", started.has("params") ? started.get("params") : EventEncoder.JSON.createObjectNode());
        String base = TargetResolver.stripSlash(config.url().toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/duplicates"))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            JsonNode answer = EventEncoder.JSON.readTree(response.body());
            long count = answer.path("count").asLong();
            if (count > 0) {
                LOG.log(Level.WARNING, message(base, project, count, answer));
            }
        } catch (IOException e) {
            // No warning to give: the run goes on as if nothing repeated it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String message(String base, String project, long count, JsonNode answer) {
        List<String> outcomes = new ArrayList<>();
        answer.path("outcomes").fields().forEachRemaining(outcome -> {
            if (outcome.getValue().asLong() > 0) {
                outcomes.add(outcome.getValue().asLong() + " " + outcome.getKey());
            }
        });
        List<String> runs = new ArrayList<>();
        for (JsonNode run : answer.path("runs")) {
            if (runs.size() == RUNS_SHOWN) {
                break;
            }
            String failure = run.path("failure_type").isTextual()
                    ? ": " + run.get("failure_type").asText()
                    : "";
            runs.add(base + "/#/runs/" + run.path("run_id").asText() + " ("
                    + run.path("status").asText() + failure + ")");
        }
        return "Lab Journal: " + count + " earlier run" + (count == 1 ? "" : "s") + " of project " + project
                + " had the same commit and params (" + String.join(", ", outcomes) + "): " + String.join(", ", runs);
    }
}
