package dev.labjournal.bench.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.bench.Http;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** The run events of the benchmark, as CloudEvents in structured mode. */
final class RunEvents {

    static final String METRIC = "val_loss";

    private final String tenant;
    private final String project;

    RunEvents(String tenant, String project) {
        this.tenant = tenant;
        this.project = project;
    }

    byte[] started(String runId) {
        return event("dev.labjournal.run.started.v1", runId, Http.JSON.createObjectNode());
    }

    /** One {@code val_loss} point at step 1. */
    byte[] loss(String runId, double value) {
        ObjectNode data = Http.JSON.createObjectNode();
        data.putArray("metrics")
                .addObject()
                .put("key", METRIC)
                .put("value", value)
                .put("step", 1);
        return event("dev.labjournal.run.metrics.v1", runId, data);
    }

    /**
     * {@code points} points of {@code train/loss} from step {@code firstStep}: background load, written as text (the
     * benchmark shares the machine with the platform it measures, so its load generator is kept cheap).
     */
    byte[] load(String runId, long firstStep, int points) {
        StringBuilder json = new StringBuilder(64 + 48 * points)
                .append("{\"specversion\":\"1.0\",\"id\":\"")
                .append(UUID.randomUUID())
                .append("\",\"source\":\"/tenants/")
                .append(tenant)
                .append("/projects/")
                .append(project)
                .append("\",\"type\":\"dev.labjournal.run.metrics.v1\",\"subject\":\"")
                .append(runId)
                .append("\",\"time\":\"")
                .append(Instant.now())
                .append("\",\"tenant\":\"")
                .append(tenant)
                .append("\",\"data\":{\"metrics\":[");
        for (int i = 0; i < points; i++) {
            long step = firstStep + i;
            json.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"train/loss\",\"value\":")
                    .append(1.0 / (step + 1))
                    .append(",\"step\":")
                    .append(step)
                    .append('}');
        }
        return json.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] succeeded(String runId) {
        return event(
                "dev.labjournal.run.finished.v1",
                runId,
                Http.JSON.createObjectNode().put("status", "succeeded"));
    }

    private byte[] event(String type, String runId, ObjectNode data) {
        ObjectNode event = Http.JSON
                .createObjectNode()
                .put("specversion", "1.0")
                .put("id", UUID.randomUUID().toString())
                .put("source", "/tenants/" + tenant + "/projects/" + project)
                .put("type", type)
                .put("subject", runId)
                .put("time", Instant.now().toString())
                .put("tenant", tenant);
        event.set("data", data);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }
}
