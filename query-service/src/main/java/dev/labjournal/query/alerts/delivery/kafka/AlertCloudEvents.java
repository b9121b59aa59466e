package dev.labjournal.query.alerts.delivery.kafka;

import dev.labjournal.schemas.alerts.AlertEvents;
import io.vertx.core.json.JsonObject;

/** Wraps an alert document in its CloudEvent ({@code alert.fired.v1.json}, JSON structured mode). */
public final class AlertCloudEvents {

    private AlertCloudEvents() {}

    public static JsonObject of(String tenant, String ruleId, String runId, JsonObject document) {
        return new JsonObject()
                .put("specversion", "1.0")
                .put("id", document.getString("id"))
                .put("source", AlertEvents.source(tenant, ruleId))
                .put("type", AlertEvents.TYPE)
                .put("subject", runId)
                .put("time", document.getString("time"))
                .put("tenant", tenant)
                .put("datacontenttype", "application/json")
                .put("dataschema", AlertEvents.DATA_SCHEMA)
                .put("data", document);
    }
}
