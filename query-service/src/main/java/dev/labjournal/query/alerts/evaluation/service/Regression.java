package dev.labjournal.query.alerts.evaluation.service;

import dev.labjournal.query.alerts.rules.AlertRule.Goal;
import dev.labjournal.query.alerts.rules.AlertRule.Tolerance;

/**
 * The comparison of an observed value with its baseline.
 *
 * @param delta observed minus baseline (NaN or infinite when the observed value is)
 * @param relativeDelta delta over the baseline's magnitude; null when the baseline is 0
 * @param regressed whether the observed value is worse than the baseline by more than the tolerance, or not finite
 */
public record Regression(double observed, double baseline, double delta, Double relativeDelta, boolean regressed) {

    /**
     * Judges {@code observed} against a finite {@code baseline}: worse means larger for {@code minimize}, smaller for
     * {@code maximize}; a change for the worse of exactly the tolerance is still no regression. NaN and infinite
     * observed values are regressions whatever the goal: a diverged run is the worst regression.
     */
    public static Regression judge(double observed, double baseline, Goal goal, Tolerance tolerance) {
        double delta = observed - baseline;
        Double relative = baseline == 0 ? null : delta / Math.abs(baseline);
        double worse = goal == Goal.MINIMIZE ? delta : -delta;
        boolean regressed = !Double.isFinite(observed) || worse > tolerance.allowance(baseline);
        return new Regression(observed, baseline, delta, relative, regressed);
    }
}
