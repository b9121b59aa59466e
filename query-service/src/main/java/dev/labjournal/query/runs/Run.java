package dev.labjournal.query.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one run, as PostgreSQL (the source of truth) has it.
 *
 * @param extra the members of its events' data that the schemas do not define (sent by newer clients), by name; an
 *     empty object when there are none
 */
public record Run(
        String tenant,
        String runId,
        String project,
        String team,
        String name,
        String user,
        String status,
        boolean started,
        Source source,
        String hypothesis,
        JsonNode datasets,
        JsonNode environment,
        JsonNode extra,
        String fingerprint,
        Failure failure,
        String conclusion,
        OffsetDateTime startTime,
        OffsetDateTime endTime,
        OffsetDateTime lastEventTime,
        long version,
        Map<String, String> params,
        Map<String, String> tags,
        List<MetricSummary> metrics,
        List<Note> notes,
        List<Artifact> artifacts) {

    public record Source(String repo, String commit, String branch, Boolean dirty, String entrypoint) {}

    public record Failure(String type, String message, String stacktrace, Long step) {}

    /** Summary of one metric: NaN and infinities are reported as the strings "NaN", "Infinity", "-Infinity". */
    public record MetricSummary(
            String key, Object last, long lastStep, OffsetDateTime lastTime, Object min, Object max, long count) {}

    public record Note(String kind, String text, OffsetDateTime time) {}

    public record Artifact(String path, String uri, String digest, Long size, String mediaType, OffsetDateTime time) {}
}
