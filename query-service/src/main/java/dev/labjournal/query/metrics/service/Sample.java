package dev.labjournal.query.metrics.service;

import java.time.OffsetDateTime;

/** One stored point of a series. */
public record Sample(long step, OffsetDateTime time, double value) {

    /**
     * PostgreSQL's order of float8, which the rollups were built with: NaN equals NaN and is above every number
     * (+Infinity included), -0 equals 0.
     */
    static int compareValues(double a, double b) {
        return a == b ? 0 : Double.compare(a, b);
    }

    /** Whether the other is the same point as far as PostgreSQL can tell: same step, instant and value. */
    boolean sameAs(Sample other) {
        return step == other.step && time.isEqual(other.time) && compareValues(value, other.value) == 0;
    }

    /** Whether this point comes before the other by (step, time). */
    boolean before(Sample other) {
        return step < other.step || (step == other.step && time.isBefore(other.time));
    }

    /** Whether this point is a lower minimum than the other: a lower value, or the same value earlier. */
    boolean lowerThan(Sample other) {
        int c = compareValues(value, other.value);
        return c < 0 || (c == 0 && before(other));
    }

    /** Whether this point is a higher maximum than the other: a higher value, or the same value earlier. */
    boolean higherThan(Sample other) {
        int c = compareValues(value, other.value);
        return c > 0 || (c == 0 && before(other));
    }
}
