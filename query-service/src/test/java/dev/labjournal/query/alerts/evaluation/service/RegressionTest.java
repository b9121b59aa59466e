package dev.labjournal.query.alerts.evaluation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.query.alerts.rules.AlertRule.Goal;
import dev.labjournal.query.alerts.rules.AlertRule.Tolerance;
import org.junit.jupiter.api.Test;

class RegressionTest {

    private static final Tolerance HALF = new Tolerance(false, 0.5);

    @Test
    void aChangeForTheWorseOfExactlyTheToleranceIsNoRegression() {
        assertThat(Regression.judge(1.5, 1.0, Goal.MINIMIZE, HALF).regressed()).isFalse();
        assertThat(Regression.judge(1.25, 1.0, Goal.MINIMIZE, HALF).regressed()).isFalse();
        assertThat(Regression.judge(1.75, 1.0, Goal.MINIMIZE, HALF).regressed()).isTrue();
    }

    @Test
    void worseFollowsTheGoal() {
        assertThat(Regression.judge(0.25, 1.0, Goal.MINIMIZE, HALF).regressed()).isFalse();
        assertThat(Regression.judge(0.25, 1.0, Goal.MAXIMIZE, HALF).regressed()).isTrue();
        assertThat(Regression.judge(1.75, 1.0, Goal.MAXIMIZE, HALF).regressed()).isFalse();
    }

    @Test
    void relativeToleranceScalesWithTheBaselinesMagnitude() {
        Tolerance fivePercent = new Tolerance(true, 0.05);
        Regression r = Regression.judge(0.45, 0.40, Goal.MINIMIZE, fivePercent);
        assertThat(r.regressed()).isTrue();
        assertThat(r.relativeDelta()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Regression.judge(-0.9, -1.0, Goal.MAXIMIZE, fivePercent).regressed())
                .isFalse();
        assertThat(Regression.judge(-1.1, -1.0, Goal.MAXIMIZE, fivePercent).regressed())
                .isTrue();
    }

    @Test
    void nanAndInfinitiesAreRegressionsWhateverTheGoal() {
        for (Goal goal : Goal.values()) {
            assertThat(Regression.judge(Double.NaN, 1.0, goal, HALF).regressed())
                    .isTrue();
            assertThat(Regression.judge(Double.POSITIVE_INFINITY, 1.0, goal, HALF)
                            .regressed())
                    .isTrue();
            assertThat(Regression.judge(Double.NEGATIVE_INFINITY, 1.0, goal, HALF)
                            .regressed())
                    .isTrue();
        }
    }

    @Test
    void aZeroBaselineHasNoRelativeDelta() {
        assertThat(Regression.judge(1.0, 0.0, Goal.MINIMIZE, HALF).relativeDelta())
                .isNull();
    }
}
