package dev.labjournal.query.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One page of search results.
 *
 * @param nextPageToken pass as {@code page_token} to get the next page; null on the last page
 * @param facets for each requested facet, its most frequent values over the whole match; absent when none was asked
 */
public record SearchPage(
        long total,
        List<Hit> runs,
        String nextPageToken,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<FacetValue>> facets) {

    /** A value of a facet and how many matching runs have it. */
    public record FacetValue(String value, long count) {}

    /**
     * A matching run: its summary fields, the highlighted fragments per field and, when asked for with {@code
     * columns=}, the values of those params, metrics and tags by name.
     */
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
            Map<String, List<String>> highlights,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> columns) {}
}
