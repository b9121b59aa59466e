package dev.labjournal.query.search.filter;

import java.util.List;

/**
 * A parsed run filter: MLflow's {@code search_runs} grammar with {@code OR} and parentheses. Built by
 * {@link FilterParser} (never from concatenated strings) and translated into an OpenSearch query by
 * {@link FilterQueries}.
 */
public sealed interface Filter {

    /** Every term must hold. */
    record And(List<Filter> terms) implements Filter {
        public And {
            terms = List.copyOf(terms);
        }
    }

    /** At least one term must hold. */
    record Or(List<Filter> terms) implements Filter {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    /** One comparison of a run's field with a value. */
    record Comparison(Field field, Op op, Value value) implements Filter {}

    /** What a comparison reads. */
    enum Kind {
        METRIC,
        PARAM,
        TAG,
        ATTRIBUTE,
        DATASET
    }

    /**
     * A field of a run: for {@code ATTRIBUTE} the key is the canonical attribute name ({@code run_id},
     * {@code run_name}, {@code status}, {@code user_id}, {@code team}, {@code project}, {@code failure_type},
     * {@code failure_group}, {@code start_time}, {@code end_time}); for {@code DATASET} {@code name} or {@code digest}; else the metric,
     * param or tag key as written (quotes removed).
     */
    record Field(Kind kind, String key) {}

    enum Op {
        EQ,
        NE,
        GT,
        GE,
        LT,
        LE,
        LIKE,
        ILIKE,
        IN,
        NOT_IN,
        IS_NULL,
        IS_NOT_NULL
    }

    /** The right-hand side of a comparison. */
    sealed interface Value {}

    /** A number (metrics; start_time and end_time in epoch milliseconds). */
    record NumberValue(double value) implements Value {}

    /** A quoted string (for status already the stored name: succeeded, failed, killed, running, lost). */
    record TextValue(String value) implements Value {}

    /** The items of {@code IN (...)} / {@code NOT IN (...)}. */
    record ListValue(List<String> values) implements Value {
        public ListValue {
            values = List.copyOf(values);
        }
    }

    /** No value: {@code IS NULL}, {@code IS NOT NULL}. */
    record NoValue() implements Value {}
}
