package dev.labjournal.query.alerts.evaluation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.AlertRule.Evaluate;
import dev.labjournal.query.alerts.rules.AlertRule.Goal;
import dev.labjournal.query.alerts.rules.AlertRule.Kind;
import dev.labjournal.query.alerts.rules.AlertRule.MetricCheck;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelevanceTest {

    private static final RunChange POINTS = change("running", false, false, List.of(point("val_loss", 120)));
    private static final RunChange SUCCEEDED = change("succeeded", true, false, List.of());
    private static final RunChange FAILED = change("failed", true, true, List.of());
    private static final RunChange LOST = change("lost", false, false, List.of());
    private static final RunChange REANNOUNCED = new RunChange("acme", "run-1", 9);

    @Test
    void aFinishRuleIgnoresThePointsOfARunningRunAndTakesItsFinish() {
        AlertRule rule = regression(Evaluate.ON_FINISH, 0);
        assertThat(Relevance.mayFire(rule, POINTS)).isFalse();
        assertThat(Relevance.mayFire(rule, LOST)).isFalse();
        assertThat(Relevance.mayFire(rule, SUCCEEDED)).isTrue();
        assertThat(Relevance.mayFire(rule, FAILED)).isTrue();
    }

    @Test
    void aLiveRuleTakesPointsOfItsMetricFromItsMinimumStep() {
        assertThat(Relevance.mayFire(regression(Evaluate.LIVE, 100), POINTS)).isTrue();
        assertThat(Relevance.mayFire(regression(Evaluate.LIVE, 120), POINTS)).isTrue();
        assertThat(Relevance.mayFire(regression(Evaluate.LIVE, 121), POINTS)).isFalse();
        assertThat(Relevance.mayFire(regression(Evaluate.LIVE, 0), SUCCEEDED)).isFalse();
        RunChange otherMetric = change("running", false, false, List.of(point("train/loss", 500)));
        assertThat(Relevance.mayFire(regression(Evaluate.LIVE, 0), otherMetric)).isFalse();
    }

    @Test
    void failureAndLostRulesTakeOnlyTheirEnding() {
        for (Kind kind : List.of(Kind.RUN_FAILED, Kind.NEW_FAILURE_GROUP)) {
            assertThat(Relevance.mayFire(rule(kind), FAILED)).isTrue();
            assertThat(Relevance.mayFire(rule(kind), SUCCEEDED)).isFalse();
            assertThat(Relevance.mayFire(rule(kind), POINTS)).isFalse();
        }
        assertThat(Relevance.mayFire(rule(Kind.RUN_LOST), LOST)).isTrue();
        assertThat(Relevance.mayFire(rule(Kind.RUN_LOST), POINTS)).isFalse();
        assertThat(Relevance.mayFire(rule(Kind.DUPLICATE_RUN), POINTS)).isTrue();
    }

    @Test
    void aReannouncementMayStandForAnythingAndAFailedRunIsAlwaysRead() {
        for (Kind kind : Kind.values()) {
            AlertRule rule = kind == Kind.METRIC_REGRESSION ? regression(Evaluate.ON_FINISH, 0) : rule(kind);
            assertThat(Relevance.mayFire(rule, REANNOUNCED)).as(kind.wireName()).isTrue();
        }
        assertThat(Relevance.worthReading(FAILED, List.of())).isTrue();
        assertThat(Relevance.worthReading(POINTS, List.of())).isFalse();
        assertThat(Relevance.worthReading(POINTS, List.of(rule(Kind.RUN_LOST), regression(Evaluate.LIVE, 0))))
                .isTrue();
        assertThat(Relevance.worthReading(POINTS, List.of(rule(Kind.RUN_LOST), regression(Evaluate.ON_FINISH, 0))))
                .isFalse();
    }

    private static AlertRule rule(Kind kind) {
        return new AlertRule(null, kind.wireName(), null, null, null, kind, null, List.of(), null);
    }

    private static AlertRule regression(Evaluate evaluate, long minStep) {
        MetricCheck check = new MetricCheck("val_loss", Goal.MINIMIZE, null, null, evaluate, minStep);
        return new AlertRule(null, "regression", null, null, null, Kind.METRIC_REGRESSION, check, List.of(), null);
    }

    private static MetricChange point(String key, long step) {
        return new MetricChange(key, 0.5, 0.5, 0.5, 1, step);
    }

    private static RunChange change(String status, boolean finished, boolean failed, List<MetricChange> metrics) {
        return new RunChange("acme", "run-1", 3, status, finished, failed, metrics, Map.of(), Map.of());
    }
}
