package dev.labjournal.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Generates, in code, a corpus of hostile run events, each with the dead-letter code, JSON path and reason words it
 * must come back with, interleaved with valid events (boundary values included) for the same and other runs, and the
 * rows those valid events must leave in PostgreSQL.
 *
 * <p>Every hostile record is keyed by one of the test's run ids. Most are structured-mode JSON; the binary-mode ones
 * carry {@code ce_*} headers and their data as the value.
 */
final class HostileCorpus {

    static final String PROJECT = "hostile";
    private static final int MIB = 1_048_576;

    /** A record to publish: a hostile one (with its expectation) or a valid one. */
    sealed interface Entry permits Hostile, Valid {
        String key();

        byte[] value();

        List<Header> headers();
    }

    /**
     * A hostile record and what its dead letter must say.
     *
     * @param path the expected {@code lj-error-path}
     * @param reasonContains words {@code lj-error-reason} must contain
     */
    record Hostile(
            String category,
            String name,
            String key,
            byte[] value,
            List<Header> headers,
            String code,
            String path,
            String reasonContains)
            implements Entry {}

    /** A valid record, which must be stored and never dead-lettered. */
    record Valid(String name, String key, byte[] value, List<Header> headers) implements Entry {}

    private final String tenant;
    private final List<String> hostileRuns;
    private final List<String> allRuns;
    private final List<Hostile> hostile = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Long> expectedRows = new LinkedHashMap<>();
    private final Map<String, Integer> notesByRun = new LinkedHashMap<>();
    private final Map<String, Long> stepByRun = new LinkedHashMap<>();
    private final Set<String> runsWithMetrics = new HashSet<>();
    private int validCounter;

    private HostileCorpus(String tenant, List<String> hostileRuns, List<String> otherRuns) {
        this.tenant = tenant;
        this.hostileRuns = hostileRuns;
        this.allRuns = new ArrayList<>(hostileRuns);
        this.allRuns.addAll(otherRuns);
        for (String table : List.of(
                "runs",
                "run_params",
                "run_tags",
                "run_notes",
                "metric_points",
                "metric_summaries",
                "processed_events")) {
            expectedRows.put(table, 0L);
        }
    }

    /**
     * @param hostileRuns runs whose keys the hostile records use (valid events go to them too); the first two get the
     *     param conflicts
     * @param otherRuns runs that only get valid events
     */
    static HostileCorpus generate(String tenant, List<String> hostileRuns, List<String> otherRuns) {
        HostileCorpus corpus = new HostileCorpus(tenant, hostileRuns, otherRuns);
        corpus.build();
        return corpus;
    }

    /** Everything to publish, in order: hostile records with valid ones between them. */
    List<Entry> entries() {
        return entries;
    }

    List<Hostile> hostile() {
        return hostile;
    }

    /** Rows per table the tenant must have once every valid event (and the conflicts' other data) is stored. */
    Map<String, Long> expectedRows() {
        return expectedRows;
    }

    /** Notes that must be stored per run. */
    Map<String, Integer> notesByRun() {
        return notesByRun;
    }

    private void build() {
        for (String run : allRuns) {
            validStarted(run);
        }
        malformedJson();
        wrongTypes();
        missingFields();
        unknownTypes();
        wrongSpecversion();
        overLimits();
        deepNesting();
        controlCharactersAndNul();
        invalidUtf8();
        hugeStrings();
        nanAndInfinity();
        wrongTenant();
        emptyPropertyNames();
        binaryMode();
        paramConflicts();
        contractExamples();
        validFinished(allRuns.get(0), "failed");
        validFinished(allRuns.get(1), "succeeded");
    }

    // ---------------------------------------------------------------- hostile categories

    private void malformedJson() {
        String c = "malformed json";
        String event = note("a note about to be broken").toString();
        for (int cut : new int[] {1, event.length() / 4, event.length() / 2, event.length() - 1}) {
            hostile(c, "truncated at " + cut, event.substring(0, cut), "malformed_json", "$", "Malformed JSON");
        }
        hostile(c, "trailing garbage", event + "garbage", "malformed_json", "$", "Malformed JSON");
        hostile(c, "two events in one record", event + event, "malformed_json", "$", "unexpected content after");
        hostile(c, "trailing object start", event + "\n{", "malformed_json", "$", "unexpected content after");
        hostile(c, "trailing close brace", event + "}", "malformed_json", "$", "Malformed JSON");
        hostile(c, "empty value", new byte[0], "malformed_json", "$", "The event is empty");
        hostile(c, "null value (tombstone)", (byte[]) null, "malformed_json", "$", "The event is empty");
        hostile(c, "only whitespace", " \n\t ", "malformed_json", "$", "The event is empty");
        hostile(c, "an array of events", "[" + event + "]", "malformed_json", "$", "but it is an array");
        hostile(c, "a JSON string", "\"hello\"", "malformed_json", "$", "but it is a string");
        hostile(c, "a JSON number", "42", "malformed_json", "$", "but it is a number");
        hostile(c, "JSON null", "null", "malformed_json", "$", "but it is null");
        hostile(c, "JSON true", "true", "malformed_json", "$", "but it is a boolean");
        hostile(
                c,
                "duplicate key",
                "{\"id\":\"dup\"," + event.substring(1),
                "malformed_json",
                "$",
                "Duplicate field 'id'");
        hostile(c, "single quotes", event.replace('"', '\''), "malformed_json", "$", "Malformed JSON");
        hostile(
                c,
                "unquoted member names",
                event.replace("\"specversion\"", "specversion"),
                "malformed_json",
                "$",
                "Malformed JSON");
        hostile(c, "a comment", "/* hi */" + event, "malformed_json", "$", "Malformed JSON");
        hostile(
                c,
                "trailing comma",
                event.substring(0, event.length() - 1) + ",}",
                "malformed_json",
                "$",
                "Malformed JSON");
    }

    private void wrongTypes() {
        String c = "wrong envelope type";
        Object[][] cases = {
            {"specversion", 1.0, "must be \"1.0\""},
            {"specversion", List.of("1.0"), "must be \"1.0\""},
            {"id", 12345, "Expected type string but found integer"},
            {"id", null, "Expected type string but found null"},
            {"id", Map.of("a", 1), "Expected type string but found object"},
            {"source", 7, "Expected type string but found integer"},
            {"source", List.of(), "Expected type string but found array"},
            {"type", 3, "Expected type string but found integer"},
            {"type", true, "Expected type string but found boolean"},
            {"subject", List.of("run"), "Expected type string but found array"},
            {"subject", 1.5, "Expected type string but found number"},
            {"time", 1_700_000_000, "Expected type string but found integer"},
            {"time", Map.of(), "Expected type string but found object"},
            {"datacontenttype", 1, "must be \"application/json\""},
            {"datacontenttype", "text/plain", "must be \"application/json\""},
            {"dataschema", 5, "Expected type string but found integer"},
            {"dataschema", false, "Expected type string but found boolean"},
            {"tenant", 42, "Expected type string but found integer"},
            {"tenant", null, "Expected type string but found null"},
            {"data", "just text", "Expected type object but found string"},
            {"data", List.of(), "Expected type object but found array"},
            {"data", null, "Expected type object but found null"},
        };
        for (Object[] wrong : cases) {
            String field = (String) wrong[0];
            ObjectNode event = note("wrong type of " + field);
            event.set(field, Platform.JSON.valueToTree(wrong[1]));
            hostile(c, field + " = " + event.get(field), event, "schema_violation", "$." + field, (String) wrong[2]);
        }
    }

    private void missingFields() {
        String c = "missing required field";
        for (String field : List.of("specversion", "id", "source", "type", "subject", "time", "tenant", "data")) {
            ObjectNode event = note("without " + field);
            event.remove(field);
            hostile(
                    c,
                    "no " + field,
                    event,
                    "schema_violation",
                    "$." + field,
                    "Required property \"" + field + "\" is missing");
        }
        ObjectNode noText = note("x");
        ((ObjectNode) noText.get("data")).remove("text");
        hostile(c, "note without text", noText, "schema_violation", "$.data.text", "Required property \"text\"");
        ObjectNode noStep = metrics(1);
        ((ObjectNode) noStep.get("data").get("metrics").get(0)).remove("step");
        hostile(
                c,
                "metric point without step",
                noStep,
                "schema_violation",
                "$.data.metrics[0].step",
                "Required property \"step\"");
        ObjectNode noStatus = event(hostileRun(), "finished", Events.data());
        hostile(c, "finished without status", noStatus, "schema_violation", "$.data.status", "\"status\" is missing");
        ObjectNode noUri = event(hostileRun(), "artifact", Events.data().put("path", "model.pt"));
        hostile(c, "artifact without uri", noUri, "schema_violation", "$.data.uri", "\"uri\" is missing");
    }

    private void unknownTypes() {
        String c = "unknown type";
        for (String type : List.of(
                "dev.labjournal.run.paused.v1",
                "dev.labjournal.run.started.v2",
                "dev.labjournal.run.note",
                "DEV.LABJOURNAL.RUN.NOTE.V1",
                " dev.labjournal.run.note.v1",
                "com.example.anything",
                "")) {
            ObjectNode event = note("of type " + type);
            event.put("type", type);
            hostile(c, "type \"" + type + "\"", event, "unknown_type", "$.type", "Unknown event type");
        }
    }

    private void wrongSpecversion() {
        for (String version : List.of("0.3", "1", "1.0.0", "2.0", "1.0 ", "")) {
            ObjectNode event = note("specversion " + version);
            event.put("specversion", version);
            hostile(
                    "wrong specversion",
                    "specversion \"" + version + "\"",
                    event,
                    "schema_violation",
                    "$.specversion",
                    "The value must be \"1.0\"");
        }
    }

    private void overLimits() {
        String c = "over a limit";
        String small = note("padded").toString();
        hostile(
                c,
                "event of 1 MiB + 1 byte",
                small + " ".repeat(MIB + 1 - small.length()),
                "too_large",
                "$",
                "1048577 bytes, more than the limit of 1048576 bytes");
        hostile(
                c,
                "event of 1.25 MiB",
                note("x".repeat(MIB + MIB / 4)),
                "too_large",
                "$",
                "more than the limit of 1048576 bytes");

        String longKey = "k".repeat(251);
        hostile(
                c,
                "param key of 251 characters",
                params(Map.of(longKey, "1")),
                "schema_violation",
                "$.data.params",
                "must be at most 250 characters");
        hostile(
                c,
                "tag key of 251 characters",
                tags(Map.of(longKey, "1")),
                "schema_violation",
                "$.data.tags",
                "must be at most 250 characters");
        ObjectNode longMetricKey = metrics(1);
        ((ObjectNode) longMetricKey.get("data").get("metrics").get(0)).put("key", longKey);
        hostile(
                c,
                "metric key of 251 characters",
                longMetricKey,
                "schema_violation",
                "$.data.metrics[0].key",
                "251 characters long, more than the maximum of 250");
        hostile(
                c,
                "param value of 6001 characters",
                params(Map.of("prompt", "p".repeat(6001))),
                "schema_violation",
                "$.data.params.prompt",
                "6001 characters long, more than the maximum of 6000");
        hostile(
                c,
                "tag value of 5001 characters",
                tags(Map.of("comment", "t".repeat(5001))),
                "schema_violation",
                "$.data.tags.comment",
                "5001 characters long, more than the maximum of 5000");
        hostile(
                c,
                "10,001 metric points",
                metrics(10_001),
                "schema_violation",
                "$.data.metrics",
                "The array has 10001 items, more than the maximum of 10000");
        hostile(
                c,
                "10,000 params",
                params(numbered("param_", 10_000, "v")),
                "schema_violation",
                "$.data.params",
                "The object has 10000 entries, more than the maximum of 1000");
        hostile(
                c,
                "1,001 tags",
                tags(numbered("tag_", 1_001, "v")),
                "schema_violation",
                "$.data.tags",
                "The object has 1001 entries, more than the maximum of 1000");
        ObjectNode longId = note("long id");
        longId.put("id", "i".repeat(257));
        hostile(c, "id of 257 characters", longId, "schema_violation", "$.id", "more than the maximum of 256");
        ObjectNode longSubject = note("long subject");
        longSubject.put("subject", "s".repeat(129));
        hostile(c, "subject of 129 characters", longSubject, "schema_violation", "$.subject", "129 characters");
    }

    private void deepNesting() {
        String c = "deep nesting";
        for (int depth : new int[] {65, 1_000, 100_000}) {
            ObjectNode base = note("nested " + depth);
            String json = base.toString();
            String nested = "[".repeat(depth) + "]".repeat(depth);
            hostile(
                    c,
                    depth + " nested arrays in an extension attribute",
                    "{\"nested\":" + nested + "," + json.substring(1),
                    "malformed_json",
                    "$",
                    "deeper than 64 levels");
        }
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            objects.append("{\"a\":");
        }
        hostile(c, "20,000 nested objects, unterminated", objects.toString(), "malformed_json", "$", "deeper than 64");
    }

    private void controlCharactersAndNul() {
        String c = "control characters and NUL";
        for (int control : new int[] {0x01, 0x08, 0x0A, 0x09, 0x1F}) {
            hostile(
                    c,
                    String.format("raw U+%04X in a string", control),
                    rawInText("before" + (char) control + "after"),
                    "malformed_json",
                    "$",
                    "Illegal unquoted character");
        }
        hostile(c, "raw NUL byte in a string", rawInText("nul\u0000here"), "malformed_json", "$", "NUL byte (0x00)");
        hostile(c, "raw NUL byte after the event", note("x") + "\u0000", "malformed_json", "$", "NUL byte (0x00)");
        hostile(
                c,
                "escaped NUL in a note",
                note("nul \u0000 inside"),
                "schema_violation",
                "$.data.text",
                "NUL character (U+0000)");
        hostile(
                c,
                "escaped NUL in a param value",
                params(Map.of("lr", "0.1\u0000")),
                "schema_violation",
                "$.data.params.lr",
                "NUL character (U+0000)");
        hostile(
                c,
                "escaped NUL in a param key",
                params(Map.of("l\u0000r", "0.1")),
                "schema_violation",
                "$.data.params",
                "NUL character (U+0000)");
        ObjectNode nulSubject = note("nul subject");
        nulSubject.put("subject", "run\u0000");
        hostile(c, "escaped NUL in the subject", nulSubject, "schema_violation", "$.subject", "NUL character");
        // Written as JSON escapes: Jackson would write a lone surrogate raw, and UTF-8 encoding turns that into '?'.
        hostile(
                c,
                "lone high surrogate in a note",
                rawInText("half \\ud83d of an emoji"),
                "schema_violation",
                "$.data.text",
                "unpaired UTF-16 surrogate (U+D83D)");
        hostile(
                c,
                "reversed surrogate pair in a note",
                rawInText("\\ude00\\ud83d"),
                "schema_violation",
                "$.data.text",
                "unpaired UTF-16 surrogate");
    }

    private void invalidUtf8() {
        String c = "invalid UTF-8";
        int[][] sequences = {
            {0x80},
            {0xC0, 0xAF},
            {0xED, 0xA0, 0x80},
            {0xE2, 0x82},
            {0xFF},
            {0xF8, 0x88, 0x80, 0x80, 0x80},
            {0xE9},
            {0xF4, 0x90, 0x80, 0x80},
        };
        for (int[] sequence : sequences) {
            byte[] bad = new byte[sequence.length];
            StringBuilder name = new StringBuilder("bytes");
            for (int i = 0; i < sequence.length; i++) {
                bad[i] = (byte) sequence[i];
                name.append(String.format(" %02X", sequence[i]));
            }
            String[] halves = note("@@").toString().split("@@");
            byte[] event = concat(utf8(halves[0]), bad, utf8(halves[1]));
            hostile(c, name + " in a note", event, List.of(), "malformed_json", "$", "not valid UTF-8");
        }
        hostile(
                c,
                "the event in UTF-16",
                note("utf-16").toString().getBytes(StandardCharsets.UTF_16LE),
                List.of(),
                "malformed_json",
                "$",
                "NUL byte (0x00)");
    }

    private void hugeStrings() {
        String c = "huge string";
        hostile(
                c,
                "note text of 100,001 characters",
                note("n".repeat(100_001)),
                "schema_violation",
                "$.data.text",
                "100001 characters long, more than the maximum of 100000");
        hostile(
                c,
                "note text of 900,000 characters",
                note("n".repeat(900_000)),
                "schema_violation",
                "$.data.text",
                "900000 characters long, more than the maximum of 100000");
        ObjectNode stacktrace = event(hostileRun(), "finished", Events.data().put("status", "failed"));
        ((ObjectNode) stacktrace.get("data"))
                .putObject("failure")
                .put("type", "RecursionError")
                .put("stacktrace", "  File \"train.py\", line 1, in f\n".repeat(16_000));
        hostile(
                c,
                "stack trace over 500,000 characters",
                stacktrace,
                "schema_violation",
                "$.data.failure.stacktrace",
                "more than the maximum of 500000");
        ObjectNode hugeId = note("huge id");
        hugeId.put("id", "i".repeat(100_000));
        hostile(c, "id of 100,000 characters", hugeId, "schema_violation", "$.id", "more than the maximum of 256");
        ObjectNode hugeType = note("huge type");
        hugeType.put("type", "t".repeat(200_000));
        hostile(c, "type of 200,000 characters", hugeType, "unknown_type", "$.type", "(200000 characters)");
        ObjectNode hugeName = note("huge attribute name");
        hugeName.put("x".repeat(5_000), "value");
        hostile(c, "attribute name of 5,000 characters", hugeName, "schema_violation", "$", "is invalid");
        ObjectNode hugeSource = note("huge source");
        hugeSource.put("source", "/tenants/" + tenant + "/projects/" + "p".repeat(100_000));
        hostile(
                c,
                "source of 100,000 characters",
                hugeSource,
                "schema_violation",
                "$.source",
                "more than the maximum of 210");
        ObjectNode hugeKey = metrics(1);
        ((ObjectNode) hugeKey.get("data").get("metrics").get(0)).put("key", "m".repeat(300_000));
        hostile(
                c,
                "metric key of 300,000 characters",
                hugeKey,
                "schema_violation",
                "$.data.metrics[0].key",
                "300000 characters long, more than the maximum of 250");
    }

    private void nanAndInfinity() {
        String c = "NaN and infinities in the wrong place";
        for (String token : List.of("NaN", "Infinity", "-Infinity")) {
            hostile(
                    c,
                    "bare " + token + " as a metric value",
                    metrics(1).toString().replace("\"value\":0.5", "\"value\":" + token),
                    "malformed_json",
                    "$",
                    "Non-standard token '" + token + "'");
        }
        hostile(
                c,
                "bare NaN as a step",
                metrics(1).toString().replaceFirst("\"step\":\\d+", "\"step\":NaN"),
                "malformed_json",
                "$",
                "Non-standard token 'NaN'");
        hostile(
                c,
                "bare NaN as a param value",
                params(Map.of("lr", "@@")).toString().replace("\"@@\"", "NaN"),
                "malformed_json",
                "$",
                "Non-standard token 'NaN'");
        for (String step : List.of("NaN", "Infinity", "-Infinity")) {
            ObjectNode event = metrics(1);
            ((ObjectNode) event.get("data").get("metrics").get(0)).put("step", step);
            hostile(
                    c,
                    "\"" + step + "\" as a step",
                    event,
                    "schema_violation",
                    "$.data.metrics[0].step",
                    "Expected type integer but found string \"" + step + "\"");
        }
        for (String value : List.of("nan", "+Infinity", "inf", "NAN")) {
            ObjectNode event = metrics(1);
            ((ObjectNode) event.get("data").get("metrics").get(0)).put("value", value);
            hostile(
                    c,
                    "\"" + value + "\" as a value",
                    event,
                    "schema_violation",
                    "$.data.metrics[0].value",
                    "is not one of the allowed values");
        }
        ObjectNode nanTime = note("time NaN");
        nanTime.put("time", "NaN");
        hostile(c, "\"NaN\" as the time", nanTime, "schema_violation", "$.time", "is not a valid RFC 3339 date-time");
        hostile(
                c,
                "1e999 as a step",
                metrics(1).toString().replaceFirst("\"step\":\\d+", "\"step\":1e999"),
                "schema_violation",
                "$.data.metrics[0].step",
                "Expected type integer but found number");
    }

    private void wrongTenant() {
        String c = "wrong tenant";
        String nobody = "nosuch-" + UUID.randomUUID().toString().substring(0, 8);
        for (String type : List.of("note", "metrics", "started")) {
            String run = hostileRun();
            ObjectNode data = switch (type) {
                case "note" -> Events.data().put("kind", "observation").put("text", "from nowhere");
                case "metrics" -> pointData(run, 2);
                default -> Events.data().put("name", "ghost run");
            };
            hostile(
                    c,
                    "tenant that does not exist (" + type + ")",
                    Events.event(nobody, PROJECT, run, type, data),
                    "unknown_tenant",
                    "$.tenant",
                    "tenant '" + nobody + "' does not exist");
        }
        ObjectNode otherSource = note("source of another tenant");
        otherSource.put("source", "/tenants/" + nobody + "/projects/" + PROJECT);
        hostile(
                c,
                "source names another tenant",
                otherSource,
                "tenant_mismatch",
                "$.tenant",
                "differs from the tenant");
        ObjectNode otherAttribute = note("tenant attribute of another tenant");
        otherAttribute.put("tenant", nobody);
        hostile(
                c,
                "tenant attribute names another tenant",
                otherAttribute,
                "tenant_mismatch",
                "$.tenant",
                "differs from the tenant \"" + tenant + "\"");
        for (String bad : List.of(tenant.toUpperCase(), tenant + "\n", "", "-" + tenant)) {
            ObjectNode event = note("tenant " + bad);
            event.put("tenant", bad);
            hostile(
                    c,
                    "tenant " + Platform.JSON.valueToTree(bad),
                    event,
                    "schema_violation",
                    "$.tenant",
                    "does not match the pattern");
        }
    }

    /** Found by fuzzing: the validator threw on an empty member name instead of reporting it. */
    private void emptyPropertyNames() {
        String c = "empty property name";
        ObjectNode envelope = note("empty attribute name");
        envelope.put("", "value");
        hostile(c, "empty attribute name", envelope, "schema_violation", "$", "Property name \"\" is invalid");
        hostile(
                c,
                "empty param key",
                params(Map.of("", "x")),
                "schema_violation",
                "$.data.params",
                "Property name \"\" is invalid");
        ObjectNode data = note("empty member of data");
        ((ObjectNode) data.get("data")).putObject("");
        hostile(c, "empty member name in data", data, "schema_violation", "$.data", "Property name \"\" is invalid");
    }

    private void binaryMode() {
        String c = "binary mode with broken ce_ headers";
        byte[] noteData = utf8("{\"kind\":\"observation\",\"text\":\"binary mode\"}");
        String unreadable = "binary-mode CloudEvent headers cannot be read: ";
        hostileBinary(
                c,
                "unsupported ce_specversion 9.9",
                ceHeaders(h -> h.put("ce_specversion", "9.9")),
                noteData,
                "malformed_cloudevent",
                "$",
                unreadable + "Invalid specversion: 9.9");
        for (String attribute : List.of("id", "source", "type")) {
            hostileBinary(
                    c,
                    "no ce_" + attribute,
                    ceHeaders(h -> h.remove("ce_" + attribute)),
                    noteData,
                    "malformed_cloudevent",
                    "$",
                    unreadable + "Attribute '" + attribute + "' cannot be null");
        }
        hostileBinary(
                c,
                "ce_time that is not a time",
                ceHeaders(h -> h.put("ce_time", "yesterday")),
                noteData,
                "malformed_cloudevent",
                "$",
                unreadable + "Invalid attribute/extension value for \"time\": yesterday");
        hostileBinary(
                c,
                "ce_source that is not a URI",
                ceHeaders(h -> h.put("ce_source", "not a uri at all")),
                noteData,
                "malformed_cloudevent",
                "$",
                unreadable + "Invalid attribute/extension value for \"source\": not a uri at all");
        hostileBinary(
                c,
                "ce_specversion of invalid UTF-8",
                withRawHeader(ceHeaders(h -> h.remove("ce_specversion")), "ce_specversion", new byte[] {
                    (byte) 0xC0, (byte) 0xAF
                }),
                noteData,
                "malformed_cloudevent",
                "$",
                unreadable + "Invalid specversion");
        hostileBinary(
                c,
                "ce_specversion 0.3",
                ceHeaders(h -> h.put("ce_specversion", "0.3")),
                noteData,
                "schema_violation",
                "$.specversion",
                "The value must be \"1.0\" but is \"0.3\"");
        hostileBinary(
                c,
                "no ce_tenant",
                ceHeaders(h -> h.remove("ce_tenant")),
                noteData,
                "schema_violation",
                "$.tenant",
                "Required property \"tenant\" is missing");
        hostileBinary(
                c,
                "unknown ce_type",
                ceHeaders(h -> h.put("ce_type", "dev.labjournal.run.paused.v1")),
                noteData,
                "unknown_type",
                "$.type",
                "Unknown event type \"dev.labjournal.run.paused.v1\"");
        hostileBinary(
                c,
                "ce_tenant not matching ce_source",
                ceHeaders(h -> h.put("ce_tenant", "someone-else")),
                noteData,
                "tenant_mismatch",
                "$.tenant",
                "The tenant attribute \"someone-else\" differs from the tenant");
        hostileBinary(
                c,
                "null value",
                ceHeaders(h -> {}),
                null,
                "schema_violation",
                "$.data",
                "Required property \"data\" is missing");
        hostileBinary(
                c,
                "data that does not match the type",
                ceHeaders(h -> {}),
                utf8("{\"kind\":\"rant\",\"text\":\"binary mode\"}"),
                "schema_violation",
                "$.data.kind",
                "\"rant\" is not one of the allowed values");
    }

    private void paramConflicts() {
        String c = "param conflict";
        String first = allRuns.get(0);
        ObjectNode data = Events.data();
        data.putObject("params").put("lr", "0.5").put("seed", "7");
        hostileKeyed(
                c,
                "another lr in run.params",
                first,
                Events.event(tenant, PROJECT, first, "params", data),
                "param_conflict",
                "$.data.params['lr']",
                "params are immutable");
        addRows("run_params", 1); // seed
        addRows("processed_events", 1);

        String second = allRuns.get(1);
        ObjectNode restarted = Events.started(tenant, PROJECT, second, "restarted with another batch size");
        ((ObjectNode) restarted.get("data").get("params"))
                .put("batch_size", "1024")
                .put("warmup", "5");
        hostileKeyed(
                c,
                "another batch_size in a second run.started",
                second,
                restarted,
                "param_conflict",
                "$.data.params['batch_size']",
                "'batch_size' is '512', this event says '1024'");
        addRows("run_params", 1); // warmup
        addRows("processed_events", 1);
    }

    /** The contract's own invalid examples, with the code, path and reason words their sidecar expects. */
    private void contractExamples() {
        String directory = "labjournal/examples/invalid/";
        JsonNode expectations;
        try {
            expectations = Platform.JSON.readTree(resource(directory + "expectations.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, JsonNode> example : expectations.properties()) {
            JsonNode expected = example.getValue();
            hostile(
                    "contract's invalid examples",
                    example.getKey(),
                    resource(directory + example.getKey()),
                    List.of(),
                    expected.get("code").asText(),
                    expected.get("path").asText(),
                    expected.get("reason_contains").asText());
        }
    }

    // ---------------------------------------------------------------- valid events

    private void validStarted(String run) {
        ObjectNode started = Events.started(tenant, PROJECT, run, "hostile neighbours " + run);
        valid("started " + run, run, started);
        addRows("runs", 1);
        addRows("run_params", 2);
        addRows("run_tags", 1);
    }

    private void validFinished(String run, String status) {
        ObjectNode data = Events.data().put("status", status);
        if (status.equals("failed")) {
            data.putObject("failure").put("type", "RuntimeError").put("message", "survived the hostile corpus");
        }
        valid("finished " + run, run, event(run, "finished", data));
    }

    /** The next valid event, cycling through kinds and runs; some sit exactly on a limit. */
    private void nextValid() {
        int n = validCounter++;
        String run = allRuns.get(n % allRuns.size());
        switch (n % 9) {
            case 0 -> validNote(run, "survivor note " + n + " of run " + run);
            case 1 -> validMetrics(run, 3);
            case 2 -> validParams(run, Map.of("p" + n, "value " + n));
            case 3 -> validTags(run, Map.of("t" + n, "tag " + n));
            case 4 -> valid("heartbeat " + n, run, event(run, "heartbeat", Events.data()));
            case 5 -> validNote(run, "escaped controls \u0001\u001f\t and 😀 stay storable (" + n + ")");
            case 6 -> validParams(run, Map.of("long_" + n, "v".repeat(6_000), longestKey("k_" + n), "max key"));
            case 7 -> validTags(run, Map.of("long_tag_" + n, "t".repeat(5_000)));
            default -> {
                if (n % 54 == 8) {
                    validMetrics(run, 10_000);
                } else {
                    validNote(run, "n".repeat(100_000));
                }
            }
        }
    }

    private void validNote(String run, String text) {
        valid(
                "note",
                run,
                event(run, "note", Events.data().put("kind", "observation").put("text", text)));
        addRows("run_notes", 1);
        notesByRun.merge(run, 1, Integer::sum);
    }

    private void validMetrics(String run, int points) {
        valid(points + " metric points", run, event(run, "metrics", pointData(run, points)));
        addRows("metric_points", points);
        if (runsWithMetrics.add(run)) {
            addRows("metric_summaries", 1);
        }
    }

    private void validParams(String run, Map<String, String> params) {
        ObjectNode data = Events.data();
        ObjectNode node = data.putObject("params");
        params.forEach(node::put);
        valid("params", run, event(run, "params", data));
        addRows("run_params", params.size());
    }

    private void validTags(String run, Map<String, String> tags) {
        ObjectNode data = Events.data();
        ObjectNode node = data.putObject("tags");
        tags.forEach(node::put);
        valid("tags", run, event(run, "tags", data));
        addRows("run_tags", tags.size());
    }

    private void valid(String name, String run, ObjectNode event) {
        entries.add(new Valid(name, run, utf8(event.toString()), List.of()));
        addRows("processed_events", 1);
    }

    // ---------------------------------------------------------------- building blocks

    private void hostile(String category, String name, Object event, String code, String path, String reason) {
        byte[] bytes;
        if (event == null) {
            bytes = null;
        } else if (event instanceof byte[] raw) {
            bytes = raw;
        } else {
            bytes = utf8(event.toString());
        }
        hostile(category, name, bytes, List.of(), code, path, reason);
    }

    private void hostile(
            String category, String name, byte[] value, List<Header> headers, String code, String path, String reason) {
        add(new Hostile(category, name, hostileRun(), value, headers, code, path, reason));
    }

    private void hostileKeyed(
            String category, String name, String key, ObjectNode event, String code, String path, String reason) {
        add(new Hostile(category, name, key, utf8(event.toString()), List.of(), code, path, reason));
    }

    private void hostileBinary(
            String category, String name, List<Header> headers, byte[] value, String code, String path, String reason) {
        add(new Hostile(category, name, hostileRun(), value, headers, code, path, reason));
    }

    private void add(Hostile entry) {
        hostile.add(entry);
        entries.add(entry);
        nextValid();
    }

    private String hostileRun() {
        return hostileRuns.get(hostile.size() % hostileRuns.size());
    }

    private ObjectNode event(String run, String type, ObjectNode data) {
        return Events.event(tenant, PROJECT, run, type, data);
    }

    private ObjectNode note(String text) {
        return event(
                hostileRun(), "note", Events.data().put("kind", "observation").put("text", text));
    }

    private ObjectNode metrics(int points) {
        ObjectNode data = Events.data();
        ArrayNode array = data.putArray("metrics");
        for (int i = 0; i < points; i++) {
            array.addObject().put("key", "loss").put("value", 0.5).put("step", i);
        }
        return event(hostileRun(), "metrics", data);
    }

    private ObjectNode params(Map<String, String> params) {
        ObjectNode data = Events.data();
        ObjectNode node = data.putObject("params");
        params.forEach(node::put);
        return event(hostileRun(), "params", data);
    }

    private ObjectNode tags(Map<String, String> tags) {
        ObjectNode data = Events.data();
        ObjectNode node = data.putObject("tags");
        tags.forEach(node::put);
        return event(hostileRun(), "tags", data);
    }

    /** Metric points with steps no earlier event of the run used, and NaN/Infinity among the values. */
    private ObjectNode pointData(String run, int points) {
        ObjectNode data = Events.data();
        ArrayNode array = data.putArray("metrics");
        long from = stepByRun.getOrDefault(run, 0L);
        for (int i = 0; i < points; i++) {
            ObjectNode point = array.addObject().put("key", "loss").put("step", from + i);
            switch (i % 4) {
                case 1 -> point.put("value", "NaN");
                case 2 -> point.put("value", "Infinity");
                default -> point.put("value", 1.0 / (from + i + 1));
            }
        }
        stepByRun.put(run, from + points);
        return data;
    }

    private String rawInText(String text) {
        return note("@@").toString().replace("@@", text);
    }

    private List<Header> ceHeaders(Consumer<Map<String, String>> change) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_source", "/tenants/" + tenant + "/projects/" + PROJECT);
        headers.put("ce_type", "dev.labjournal.run.note.v1");
        headers.put("ce_subject", hostileRun());
        headers.put("ce_time", java.time.Instant.now().toString());
        headers.put("ce_tenant", tenant);
        headers.put("content-type", "application/json");
        change.accept(headers);
        List<Header> list = new ArrayList<>();
        headers.forEach((name, value) -> list.add(new RecordHeader(name, utf8(value))));
        return list;
    }

    private static List<Header> withRawHeader(List<Header> headers, String name, byte[] value) {
        List<Header> list = new ArrayList<>(headers);
        list.add(0, new RecordHeader(name, value));
        return list;
    }

    private static Map<String, String> numbered(String prefix, int count, String value) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put(prefix + i, value + i);
        }
        return map;
    }

    /** A key of exactly 250 characters (the limit) ending in {@code suffix}. */
    private static String longestKey(String suffix) {
        return "k".repeat(250 - suffix.length()) + suffix;
    }

    private void addRows(String table, long rows) {
        expectedRows.merge(table, rows, Long::sum);
    }

    /** A resource of labjournal-schemas (a test dependency), as bytes. */
    private static byte[] resource(String name) {
        try (InputStream in = HostileCorpus.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (from labjournal-schemas)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
