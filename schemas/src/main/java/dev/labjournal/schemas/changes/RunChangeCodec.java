package dev.labjournal.schemas.changes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.schemas.DocumentValidator;
import dev.labjournal.schemas.Topics;
import dev.labjournal.schemas.ValidationError;
import dev.labjournal.schemas.ValidationResult;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes and reads {@link RunChange}s as the JSON of {@code run-changes.v1.json} (snake_case, what-changed members
 * left out when empty, NaN and infinities as strings), and checks that JSON against the schema in both directions:
 * a sender cannot publish a message its consumers would refuse, and a consumer learns exactly what is wrong with a
 * message it cannot read. Members the schema does not define are ignored when reading (readers are tolerant).
 * Thread-safe.
 */
public final class RunChangeCodec {
    /** The schema of the message, under {@code labjournal/schemas/}. */
    public static final String SCHEMA_FILE = "run-changes.v1.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DocumentValidator VALIDATOR = new DocumentValidator(SCHEMA_FILE, "run-changes message");

    private RunChangeCodec() {}

    /**
     * @return the Kafka record key of {@code change}: {@code tenant:runId}, so that one run's changes stay in order
     *     on one partition
     */
    public static String key(RunChange change) {
        return change.tenant() + ":" + change.runId();
    }

    /**
     * @return {@code change} as UTF-8 JSON
     * @throws IllegalArgumentException if it does not match the schema (for example a version below 1, an unknown
     *     status, a NaN minimum or a tag key with a forbidden character), naming each offending member and why
     */
    public static byte[] toJson(RunChange change) {
        byte[] json = write(change);
        ValidationResult result = VALIDATOR.validate(json);
        if (!result.isValid()) {
            throw invalid("The run change of " + key(change) + " cannot be written", result.errors());
        }
        return json;
    }

    /**
     * @param json a message of topic {@code labjournal.run-changes}
     * @return the change it announces
     * @throws IllegalArgumentException if the bytes are not a run-changes message (malformed JSON, or JSON that does
     *     not match the schema), naming each offending member and why
     */
    public static RunChange fromJson(byte[] json) {
        ValidationResult result = VALIDATOR.validate(json);
        if (!result.isValid()) {
            throw invalid("Not a valid " + Topics.RUN_CHANGES + " message", result.errors());
        }
        return read(result.event());
    }

    private static byte[] write(RunChange change) {
        ObjectNode node = JSON.createObjectNode()
                .put("tenant", change.tenant())
                .put("run_id", change.runId())
                .put("version", change.version());
        if (change.status() != null) {
            node.put("status", change.status());
        }
        if (change.finished()) {
            node.put("finished", true);
        }
        if (change.failed()) {
            node.put("failed", true);
        }
        if (!change.metrics().isEmpty()) {
            ArrayNode metrics = node.putArray("metrics");
            change.metrics().forEach(metric -> metrics.add(write(metric)));
        }
        if (!change.tags().isEmpty()) {
            ObjectNode tags = node.putObject("tags");
            change.tags().forEach(tags::put);
        }
        if (!change.params().isEmpty()) {
            ObjectNode params = node.putObject("params");
            change.params().forEach(params::put);
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings, numbers and booleans always serialises", e);
        }
    }

    private static ObjectNode write(MetricChange metric) {
        ObjectNode node = JSON.createObjectNode().put("key", metric.key());
        node.set("last", value(metric.last()));
        if (metric.min() != null) {
            node.set("min", value(metric.min()));
        }
        if (metric.max() != null) {
            node.set("max", value(metric.max()));
        }
        return node.put("count", metric.count()).put("last_step", metric.lastStep());
    }

    /** NaN and the infinities as the strings of run.metrics events; JSON has no numbers for them. */
    private static JsonNode value(double value) {
        if (Double.isNaN(value)) {
            return JSON.getNodeFactory().textNode("NaN");
        }
        if (Double.isInfinite(value)) {
            return JSON.getNodeFactory().textNode(value > 0 ? "Infinity" : "-Infinity");
        }
        return JSON.getNodeFactory().numberNode(value);
    }

    /** Reads a message that matches the schema, so every member has the type and range the schema gives it. */
    private static RunChange read(JsonNode node) {
        List<MetricChange> metrics = new ArrayList<>();
        for (JsonNode metric : node.path("metrics")) {
            metrics.add(new MetricChange(
                    metric.get("key").textValue(),
                    value(metric.get("last")),
                    metric.has("min") ? value(metric.get("min")) : null,
                    metric.has("max") ? value(metric.get("max")) : null,
                    metric.get("count").longValue(),
                    metric.get("last_step").longValue()));
        }
        return new RunChange(
                node.get("tenant").textValue(),
                node.get("run_id").textValue(),
                node.get("version").longValue(),
                node.path("status").textValue(),
                node.path("finished").booleanValue(),
                node.path("failed").booleanValue(),
                metrics,
                strings(node.path("tags")),
                strings(node.path("params")));
    }

    private static double value(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return switch (value.textValue()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.properties()
                .forEach(entry -> map.put(entry.getKey(), entry.getValue().textValue()));
        return map;
    }

    private static IllegalArgumentException invalid(String what, List<ValidationError> errors) {
        return new IllegalArgumentException(errors.stream()
                .map(error -> error.path() + ": " + error.reason())
                .collect(Collectors.joining(" ", what + " (schema " + SCHEMA_FILE + "): ", "")));
    }
}
