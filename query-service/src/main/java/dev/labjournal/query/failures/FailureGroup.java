package dev.labjournal.query.failures;

import java.util.List;

/**
 * A failure group of a tenant: the runs whose failures share one signature, counted over a window of time.
 *
 * @param group the group id (12 hex digits)
 * @param exceptionType the exception type of its most recent run
 * @param normalisedMessage the parameterised message of its most recent run
 * @param count failed runs in the window
 * @param teams the teams affected, most runs first, with their counts
 * @param firstSeen end time of the window's first run of the group
 * @param lastSeen end time of its most recent run
 * @param exampleRunId its most recent run
 * @param recentRuns its most recent runs, newest first: the example in a list of groups, up to {@link
 *     FailuresConfig#runsPerGroup()} in one group's detail
 */
public record FailureGroup(
        String group,
        String exceptionType,
        String normalisedMessage,
        long count,
        List<TeamCount> teams,
        String firstSeen,
        String lastSeen,
        String exampleRunId,
        List<String> recentRuns) {

    public record TeamCount(String team, long count) {}

    /** The body of {@code GET /api/v1/failure-groups}. */
    public record Page(int days, List<FailureGroup> groups) {}
}
