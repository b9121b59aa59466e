package dev.labjournal.query.runs.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.runs.Run;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/v1/runs/{id}}: the API's view of a run, kept apart from the database model
 * ({@link Run}) so either can change without the other. The value types of its parts (source, failure, metric
 * summaries, notes, artifacts) are the model's, which are plain immutable values.
 *
 * @param failureGroup the failure group of a failed run ({@link FailureSignature#group()}), null for other runs
 */
public record RunDetail(
        String tenant,
        String runId,
        String project,
        String team,
        String name,
        String user,
        String status,
        boolean started,
        Run.Source source,
        String hypothesis,
        JsonNode datasets,
        JsonNode environment,
        JsonNode extra,
        String fingerprint,
        Run.Failure failure,
        String failureGroup,
        String conclusion,
        OffsetDateTime startTime,
        OffsetDateTime endTime,
        OffsetDateTime lastEventTime,
        long version,
        Map<String, String> params,
        Map<String, String> tags,
        List<Run.MetricSummary> metrics,
        List<Run.Note> notes,
        List<Run.Artifact> artifacts) {

    static RunDetail of(Run run) {
        return new RunDetail(
                run.tenant(),
                run.runId(),
                run.project(),
                run.team(),
                run.name(),
                run.user(),
                run.status(),
                run.started(),
                run.source(),
                run.hypothesis(),
                run.datasets(),
                run.environment(),
                run.extra(),
                run.fingerprint(),
                run.failure(),
                failureGroup(run.failure()),
                run.conclusion(),
                run.startTime(),
                run.endTime(),
                run.lastEventTime(),
                run.version(),
                run.params(),
                run.tags(),
                run.metrics(),
                run.notes(),
                run.artifacts());
    }

    private static String failureGroup(Run.Failure failure) {
        if (failure == null) {
            return null;
        }
        FailureSignature signature = FailureSignature.of(failure.type(), failure.message(), failure.stacktrace());
        return signature == null ? null : signature.group();
    }
}
