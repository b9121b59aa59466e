package dev.labjournal.query.alerts.evaluation.service;

import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.AlertRule.Evaluate;
import dev.labjournal.query.alerts.rules.AlertRule.MetricCheck;
import dev.labjournal.schemas.changes.RunChange;
import java.util.List;

/**
 * Whether a run change can fire a rule at all, from what the change says, before its run is read: the metric points
 * of a running run fire no {@code on_finish} rule, a finish no {@code run_lost} one. A re-announcement (a change that
 * says nothing but the version) may stand for anything and is judged by every rule.
 */
final class Relevance {

    private Relevance() {}

    /** Whether any of the rules may fire on the change (a failed run is read in any case: its group is recorded). */
    static boolean worthReading(RunChange change, List<AlertRule> rules) {
        return change.failed() || rules.stream().anyMatch(rule -> mayFire(rule, change));
    }

    static boolean mayFire(AlertRule rule, RunChange change) {
        if (isReannouncement(change)) {
            return true;
        }
        return switch (rule.kind()) {
            case RUN_FAILED, NEW_FAILURE_GROUP -> change.failed();
            case RUN_LOST -> "lost".equals(change.status());
            case DUPLICATE_RUN -> true;
            case METRIC_REGRESSION -> metricMayRegress(rule.check(), change);
        };
    }

    private static boolean metricMayRegress(MetricCheck check, RunChange change) {
        if (check.evaluate() == Evaluate.ON_FINISH) {
            return change.finished();
        }
        return change.metrics().stream()
                .anyMatch(m -> m.key().equals(check.metric()) && m.lastStep() >= check.minStep());
    }

    private static boolean isReannouncement(RunChange change) {
        return change.status() == null
                && !change.finished()
                && change.metrics().isEmpty()
                && change.tags().isEmpty()
                && change.params().isEmpty();
    }
}
