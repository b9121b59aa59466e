package dev.labjournal.query.runs.repository;

/** JSON has no NaN or infinities: they travel as the strings the event contract uses. */
public final class MetricValues {

    private MetricValues() {}

    public static Object toJson(Double value) {
        if (value == null) {
            return null;
        }
        if (value.isNaN()) {
            return "NaN";
        }
        if (value.isInfinite()) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return value;
    }
}
