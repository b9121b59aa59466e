package dev.labjournal.query.compare;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * What a comparison needs of one run, as PostgreSQL has it.
 *
 * @param params the run's params, by key
 * @param metrics the run's metric summaries, by key
 */
public record ComparedRun(
        String runId,
        String name,
        String project,
        String team,
        String user,
        String status,
        Failure failure,
        OffsetDateTime startTime,
        OffsetDateTime endTime,
        Map<String, String> params,
        Map<String, MetricSummary> metrics) {

    /** How a failed run failed; the stack trace is left to the run's detail. */
    public record Failure(String type, String message, Long step) {}

    /** One metric of a run: NaN and infinities are the strings "NaN", "Infinity", "-Infinity". */
    public record MetricSummary(Object last, Object min, Object max, long lastStep, long count) {}
}
