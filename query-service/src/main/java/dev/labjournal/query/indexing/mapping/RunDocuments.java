package dev.labjournal.query.indexing.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.runs.Run;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The search document of a run. Params, tags and metric summaries are nested key/value lists, so any number of
 * distinct keys adds no field to the mapping; their "key value" text is also indexed for full-text search. A failure
 * also gets its {@link FailureSignature} (group, exception types, normalised message and frames), which similar
 * failures and failure groups read.
 */
public final class RunDocuments {

    private RunDocuments() {}

    /** Document ids are tenant-qualified: two tenants may use the same run id. */
    public static String documentId(String tenant, String runId) {
        return tenant + ":" + runId;
    }

    public static Map<String, Object> of(Run run) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("tenant", run.tenant());
        doc.put("run_id", run.runId());
        doc.put("project", run.project());
        doc.put("team", run.team());
        doc.put("name", run.name());
        doc.put("user", run.user());
        doc.put("status", run.status());
        doc.put("started", run.started());
        doc.put("fingerprint", run.fingerprint());
        doc.put("source_repo", run.source().repo());
        doc.put("source_commit", run.source().commit());
        doc.put("source_branch", run.source().branch());
        doc.put("hypothesis", run.hypothesis());
        if (run.failure() != null) {
            doc.put("failure_type", run.failure().type());
            doc.put("failure_message", run.failure().message());
            doc.put("failure_stacktrace", run.failure().stacktrace());
            FailureSignature signature = FailureSignature.of(
                    run.failure().type(), run.failure().message(), run.failure().stacktrace());
            if (signature != null) {
                doc.put("failure_group", signature.group());
                doc.put("failure_exception", signature.exceptionType());
                doc.put("failure_exception_types", signature.exceptionTypes());
                doc.put("failure_message_normalised", signature.normalisedMessage());
                doc.put("failure_app_frames", signature.appFrames());
                doc.put("failure_library_frames", signature.libraryFrames());
            }
        }
        doc.put("conclusion", run.conclusion());
        doc.put("notes", run.notes().stream().map(Run.Note::text).toList());
        doc.put("params_text", keyValueText(run.params()));
        doc.put("tags_text", keyValueText(run.tags()));
        doc.put("params", keyValues(run.params(), true));
        doc.put("tags", keyValues(run.tags(), false));
        doc.put("metrics", run.metrics().stream().map(RunDocuments::metric).toList());
        doc.put("datasets", datasets(run.datasets()));
        doc.put("start_time", iso(run.startTime()));
        doc.put("end_time", iso(run.endTime()));
        doc.put("last_event_time", iso(run.lastEventTime()));
        doc.put("version", run.version());
        return doc;
    }

    private static List<String> keyValueText(Map<String, String> entries) {
        return entries.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.toList());
    }

    private static List<Map<String, Object>> keyValues(Map<String, String> entries, boolean withNumber) {
        List<Map<String, Object>> list = new ArrayList<>();
        entries.forEach((key, value) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", key);
            entry.put("value", value);
            if (withNumber) {
                entry.put("number", finiteNumber(value));
            }
            list.add(entry);
        });
        return list;
    }

    /** Name and digest of each dataset (the filter language's {@code datasets.name} and {@code datasets.digest}). */
    private static List<Map<String, Object>> datasets(JsonNode datasets) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (datasets == null || !datasets.isArray()) {
            return list;
        }
        for (JsonNode dataset : datasets) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", textOf(dataset.get("name")));
            entry.put("digest", textOf(dataset.get("digest")));
            list.add(entry);
        }
        return list;
    }

    private static String textOf(JsonNode value) {
        return value == null || !value.isTextual() ? null : value.textValue();
    }

    private static Map<String, Object> metric(Run.MetricSummary m) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key", m.key());
        entry.put("last", finite(m.last()));
        entry.put("min", finite(m.min()));
        entry.put("max", finite(m.max()));
        entry.put("last_step", m.lastStep());
        entry.put("count", m.count());
        return entry;
    }

    /** NaN and infinities have no place in a JSON double field: they are left out of the index (kept in PostgreSQL). */
    private static Double finite(Object value) {
        return value instanceof Double d && Double.isFinite(d) ? d : null;
    }

    private static Double finiteNumber(String text) {
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String iso(OffsetDateTime time) {
        return time == null ? null : time.toString();
    }
}
