package dev.labjournal.query.compare;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The body of {@code GET /api/v1/compare}: the runs found, in the order they were asked for, and side by side their
 * params and metric summaries. Per-run values are keyed by run id, in the order of {@code runs}, with null for a run
 * that lacks the param or metric.
 *
 * @param notFound the ids asked for that are not runs of the caller's tenant, in the order asked
 * @param paramDiff the params whose value is not the same in every run (a run without the param counts as different)
 * @param sharedParams the params every run has, with the same value
 * @param metrics every metric any of the runs has
 */
public record Comparison(
        List<RunSummary> runs,
        List<String> notFound,
        SortedMap<String, Map<String, String>> paramDiff,
        SortedMap<String, String> sharedParams,
        SortedMap<String, Map<String, ComparedRun.MetricSummary>> metrics) {

    /**
     * A compared run's attributes; {@code durationMs} is null until the run has both a start and an end time.
     */
    public record RunSummary(
            String runId,
            String name,
            String project,
            String team,
            String user,
            String status,
            ComparedRun.Failure failure,
            OffsetDateTime startTime,
            OffsetDateTime endTime,
            Long durationMs) {

        static RunSummary of(ComparedRun run) {
            Long duration = run.startTime() == null || run.endTime() == null
                    ? null
                    : Duration.between(run.startTime(), run.endTime()).toMillis();
            return new RunSummary(
                    run.runId(),
                    run.name(),
                    run.project(),
                    run.team(),
                    run.user(),
                    run.status(),
                    run.failure(),
                    run.startTime(),
                    run.endTime(),
                    duration);
        }
    }

    /**
     * Compares the runs found among the requested ids.
     *
     * @param requested distinct run ids, in the order asked
     * @param found the requested runs that exist in the tenant, by id
     */
    public static Comparison of(List<String> requested, Map<String, ComparedRun> found) {
        List<ComparedRun> runs = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        for (String id : requested) {
            ComparedRun run = found.get(id);
            if (run == null) {
                notFound.add(id);
            } else {
                runs.add(run);
            }
        }
        SortedMap<String, Map<String, String>> paramDiff = new TreeMap<>();
        SortedMap<String, String> sharedParams = new TreeMap<>();
        for (String key : keys(runs, ComparedRun::params)) {
            Map<String, String> values = side(runs, run -> run.params().get(key));
            String first = runs.get(0).params().get(key);
            boolean shared = values.values().stream().allMatch(v -> v != null && Objects.equals(v, first));
            if (shared) {
                sharedParams.put(key, first);
            } else {
                paramDiff.put(key, values);
            }
        }
        SortedMap<String, Map<String, ComparedRun.MetricSummary>> metrics = new TreeMap<>();
        for (String key : keys(runs, ComparedRun::metrics)) {
            metrics.put(key, side(runs, run -> run.metrics().get(key)));
        }
        return new Comparison(runs.stream().map(RunSummary::of).toList(), notFound, paramDiff, sharedParams, metrics);
    }

    private static TreeSet<String> keys(List<ComparedRun> runs, Function<ComparedRun, Map<String, ?>> of) {
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(run -> keys.addAll(of.apply(run).keySet()));
        return keys;
    }

    /** Each run's value, by run id in the order of the runs; null where the run has none. */
    private static <V> Map<String, V> side(List<ComparedRun> runs, Function<ComparedRun, V> value) {
        Map<String, V> values = new LinkedHashMap<>();
        runs.forEach(run -> values.put(run.runId(), value.apply(run)));
        return values;
    }
}
