package dev.labjournal.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/** Builds run events as a client in any language would write them: CloudEvents JSON, structured mode. */
final class Events {

    private Events() {}

    static ObjectNode event(String tenant, String project, String runId, String type, ObjectNode data) {
        ObjectNode event = Platform.JSON.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/tenants/" + tenant + "/projects/" + project);
        event.put("type", "dev.labjournal.run." + type + ".v1");
        event.put("subject", runId);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("tenant", tenant);
        event.set("data", data);
        return event;
    }

    static ObjectNode data() {
        return Platform.JSON.createObjectNode();
    }

    static ObjectNode started(String tenant, String project, String runId, String name) {
        ObjectNode data = data().put("team", "vision").put("name", name).put("user", "ada");
        data.putObject("params").put("lr", "0.001").put("batch_size", "512");
        data.putObject("tags").put("model", "resnet50");
        return event(tenant, project, runId, "started", data);
    }

    static ObjectNode failed(String tenant, String project, String runId, String failureType, String stacktrace) {
        ObjectNode data = data().put("status", "failed");
        data.putObject("failure")
                .put("type", failureType)
                .put("message", "CUDA out of memory. Tried to allocate 2.00 GiB")
                .put("stacktrace", stacktrace)
                .put("step", 1200);
        return event(tenant, project, runId, "finished", data);
    }

    /** A run.finished without failure: {@code succeeded}, or {@code killed}. */
    static ObjectNode finished(String tenant, String project, String runId, String status) {
        return event(tenant, project, runId, "finished", data().put("status", status));
    }

    /** Posts events to HTTP ingest as one batch, with the key of their tenant. */
    static Platform.Reply postBatch(String ingestKey, ObjectNode... events) throws Exception {
        var batch = Platform.JSON.createArrayNode();
        for (ObjectNode event : events) {
            batch.add(event);
        }
        return Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                ingestKey,
                "application/cloudevents-batch+json",
                batch.toString());
    }

    static ObjectNode metrics(String tenant, String project, String runId, int fromStep, int points) {
        ObjectNode data = data();
        var array = data.putArray("metrics");
        for (int step = fromStep; step < fromStep + points; step++) {
            array.addObject().put("key", "loss").put("value", 1.0 / (step + 1)).put("step", step);
        }
        array.addObject().put("key", "grad_norm").put("value", "NaN").put("step", fromStep);
        return event(tenant, project, runId, "metrics", data);
    }

    static ObjectNode heartbeat(String tenant, String project, String runId, long step) {
        return event(
                tenant,
                project,
                runId,
                "heartbeat",
                data().put("step", step).put("message", "still alive at step " + step));
    }

    static ObjectNode note(String tenant, String project, String runId, String text) {
        return event(
                tenant,
                project,
                runId,
                "note",
                data().put("kind", "observation").put("text", text));
    }
}
