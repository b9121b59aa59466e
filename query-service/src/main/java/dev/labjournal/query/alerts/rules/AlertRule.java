package dev.labjournal.query.alerts.rules;

import dev.labjournal.query.search.filter.Filter;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * A validated alert rule (DESIGN D6): which runs it watches (a project, a filter of the search language, or both),
 * what it fires on, and the channels of its alerts.
 *
 * @param id {@code rule_} and random hex digits; null before the rule is stored
 * @param project the project whose runs the rule watches, or null
 * @param filter the filter's text as sent, or null
 * @param selector the parsed filter, or null
 * @param check what a {@code metric_regression} rule compares; null for every other kind
 * @param createdAt when the rule was stored; null before
 */
public record AlertRule(
        String id,
        String name,
        String project,
        String filter,
        Filter selector,
        Kind kind,
        MetricCheck check,
        List<Channel> channels,
        OffsetDateTime createdAt) {

    public AlertRule {
        channels = List.copyOf(channels);
    }

    /** The same rule with its id and creation time. */
    public AlertRule stored(String newId, OffsetDateTime at) {
        return new AlertRule(newId, name, project, filter, selector, kind, check, channels, at);
    }

    /** What a rule fires on. */
    public enum Kind {
        METRIC_REGRESSION,
        RUN_FAILED,
        NEW_FAILURE_GROUP,
        DUPLICATE_RUN,
        RUN_LOST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether smaller or larger values of the metric are better. */
    public enum Goal {
        MINIMIZE,
        MAXIMIZE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** When a metric is judged: once when the run finishes, or as its points arrive. */
    public enum Evaluate {
        ON_FINISH,
        LIVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the baseline of a metric comes from. */
    public enum BaselineType {
        BEST,
        PREVIOUS,
        MEAN_OF_LAST,
        RUN,
        THRESHOLD;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A baseline.
     *
     * @param n the number of runs of {@code mean_of_last}, else null
     * @param runId the pinned run of {@code run}, else null
     * @param value the fixed value of {@code threshold}, else null
     */
    public record Baseline(BaselineType type, Integer n, String runId, Double value) {}

    /**
     * How much worse than the baseline is still no regression.
     *
     * @param relative true: {@code amount} is a fraction of the baseline's magnitude; false: in the metric's unit
     */
    public record Tolerance(boolean relative, double amount) {

        /** The largest change for the worse that is no regression, for this baseline. */
        public double allowance(double baseline) {
            return relative ? amount * Math.abs(baseline) : amount;
        }
    }

    /** What a {@code metric_regression} rule compares, and when. */
    public record MetricCheck(
            String metric, Goal goal, Baseline baseline, Tolerance tolerance, Evaluate evaluate, long minStep) {}

    /** One channel; {@code url} for webhooks only. */
    public record Channel(String type, String url) {
        public static final String WEBHOOK = "webhook";
    }
}
