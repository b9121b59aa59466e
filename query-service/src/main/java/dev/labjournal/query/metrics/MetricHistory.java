package dev.labjournal.query.metrics;

import java.util.List;

/**
 * The history of one metric of one run, or of the requested step range of it.
 *
 * @param totalPoints how many points the run has in the range (all of them when no range was asked for)
 * @param downsampled whether {@code points} are the minimum and maximum of buckets rather than every point
 * @param nextPageToken without max_points only: pass as {@code page_token} for the next page; null on the last page
 */
public record MetricHistory(
        String runId,
        String key,
        long totalPoints,
        boolean downsampled,
        List<MetricPoint> points,
        String nextPageToken) {}
