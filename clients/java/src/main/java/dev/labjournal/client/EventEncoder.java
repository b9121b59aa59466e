package dev.labjournal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Turns queued items into CloudEvents of the run (schemas/…/envelope.v1.json and one schema per type). */
final class EventEncoder {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE_PREFIX = "dev.labjournal.run.";

    private final String tenant;
    private final String source;
    private final String runId;

    EventEncoder(String tenant, String project, String runId) {
        this.tenant = tenant;
        this.source = "/tenants/" + tenant + "/projects/" + project;
        this.runId = runId;
    }

    /** The events of the items, in order: points in a row become one run.metrics event. */
    List<Outgoing> encode(List<Item> items) {
        List<Outgoing> events = new ArrayList<>();
        List<Item.MetricPoint> points = new ArrayList<>();
        for (Item item : items) {
            if (item instanceof Item.MetricPoint point) {
                points.add(point);
            } else {
                flushPoints(points, events);
                Item.Control control = (Item.Control) item;
                events.add(event(
                        control.type(),
                        control.id(),
                        control.time(),
                        control.data().get()));
            }
        }
        flushPoints(points, events);
        return events;
    }

    private void flushPoints(List<Item.MetricPoint> points, List<Outgoing> events) {
        if (points.isEmpty()) {
            return;
        }
        ObjectNode data = JSON.createObjectNode();
        ArrayNode metrics = data.putArray("metrics");
        for (Item.MetricPoint point : points) {
            ObjectNode node = metrics.addObject().put("key", point.key());
            if (Double.isFinite(point.value())) {
                node.put("value", point.value());
            } else {
                node.put("value", Double.toString(point.value()));
            }
            node.put("step", point.step()).put("time", point.time().toString());
        }
        events.add(event(
                "metrics",
                UUID.randomUUID().toString(),
                points.get(points.size() - 1).time(),
                data));
        points.clear();
    }

    private Outgoing event(String type, String id, Instant time, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode()
                .put("specversion", "1.0")
                .put("id", id)
                .put("source", source)
                .put("type", TYPE_PREFIX + type + ".v1")
                .put("subject", runId)
                .put("time", time.toString())
                .put("datacontenttype", "application/json")
                .put("tenant", tenant);
        event.set("data", data);
        try {
            return new Outgoing(id, runId, JSON.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event tree that Jackson cannot write", e);
        }
    }
}
