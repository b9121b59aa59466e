package dev.labjournal.query.search;

import java.util.List;
import java.util.Map;

/**
 * One page of search results.
 *
 * @param nextPageToken pass as {@code page_token} to get the next page; null on the last page
 */
public record SearchPage(long total, List<Hit> runs, String nextPageToken) {

    /** A matching run: its summary fields and the highlighted fragments per field. */
    public record Hit(
            String runId,
            String project,
            String team,
            String name,
            String user,
            String status,
            String failureType,
            String failureMessage,
            String startTime,
            String endTime,
            double score,
            Map<String, List<String>> highlights) {}
}
