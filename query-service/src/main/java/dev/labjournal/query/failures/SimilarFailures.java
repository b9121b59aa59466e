package dev.labjournal.query.failures;

import java.util.List;

/**
 * The body of {@code GET /api/v1/runs/{id}/similar-failures}: the failed runs of every team of the tenant that failed
 * the way this run did, best first, each with why it matched.
 *
 * @param failureGroup this run's failure group; null when the run has not failed
 * @param groupCount runs of the tenant in that group, this one included (as indexed)
 */
public record SimilarFailures(
        String runId,
        String failureGroup,
        String exceptionType,
        String normalisedMessage,
        long groupCount,
        List<SimilarFailure> similar) {

    /** A run that failed alike, with its score and the evidence. */
    public record SimilarFailure(
            String runId,
            String team,
            String project,
            String name,
            String failureType,
            String failureMessage,
            String failureGroup,
            String normalisedMessage,
            String endTime,
            double score,
            Why why) {}

    /**
     * What the two failures share.
     *
     * @param sameGroup same failure group (exception type and message kernel)
     * @param sameMessage the same normalised message
     * @param exceptionTypes exception types both chains hold
     * @param appFrames project frames both traces hold, innermost first (as this run has them)
     * @param libraryFrames library frames both traces hold, innermost first
     */
    public record Why(
            boolean sameGroup,
            boolean sameMessage,
            List<String> exceptionTypes,
            List<String> appFrames,
            List<String> libraryFrames) {}
}
