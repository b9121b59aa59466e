package dev.labjournal.query.alerts.evaluation.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.query.failures.signature.FailureSignature;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.search.filter.Filter;
import dev.labjournal.query.search.filter.Filter.Comparison;
import dev.labjournal.query.search.filter.Filter.ListValue;
import dev.labjournal.query.search.filter.Filter.NumberValue;
import dev.labjournal.query.search.filter.Filter.Op;
import dev.labjournal.query.search.filter.Filter.TextValue;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whether a run, as PostgreSQL has it, matches a {@link Filter}: the same answer the search index gives for the
 * filter's OpenSearch query ({@code search/filter/FilterQueries}), computed in memory, so that a rule selects the run
 * of a change at once instead of when the index has caught up. The search semantics it follows: a run without the
 * metric, param, tag or attribute never matches a comparison of it, not even {@code !=} (only {@code IS NULL} finds
 * it); NaN and infinite metric values are not in the index, so they match nothing; times compare in epoch
 * milliseconds; a dataset comparison holds when any of the run's datasets satisfies it; keyword values longer than the
 * index keeps ({@code ignore_above}) match nothing.
 */
public final class FilterMatch {

    /** The longest values the index keeps as keywords (runs-index.json ignore_above). */
    private static final int NAME_KEPT = 512;

    private static final int VALUE_KEPT = 1024;
    private static final int KEY_KEPT = 250;
    private static final int DIGEST_KEPT = 256;

    private FilterMatch() {}

    public static boolean matches(Filter filter, Run run) {
        if (filter instanceof Filter.And and) {
            return and.terms().stream().allMatch(term -> matches(term, run));
        }
        if (filter instanceof Filter.Or or) {
            return or.terms().stream().anyMatch(term -> matches(term, run));
        }
        Comparison c = (Comparison) filter;
        return switch (c.field().kind()) {
            case METRIC -> metric(c, run);
            case PARAM -> keyed(c, run.params());
            case TAG -> keyed(c, run.tags());
            case ATTRIBUTE -> attribute(c, run);
            case DATASET -> dataset(c, run.datasets());
        };
    }

    private static boolean metric(Comparison c, Run run) {
        String key = c.field().key();
        Run.MetricSummary summary = key.length() > KEY_KEPT
                ? null
                : run.metrics().stream()
                        .filter(m -> m.key().equals(key))
                        .findFirst()
                        .orElse(null);
        if (summary == null || !(summary.last() instanceof Double last) || !Double.isFinite(last)) {
            return false;
        }
        return number(c.op(), last, ((NumberValue) c.value()).value());
    }

    private static boolean keyed(Comparison c, Map<String, String> entries) {
        String key = c.field().key();
        boolean present = key.length() <= KEY_KEPT && entries.containsKey(key);
        return switch (c.op()) {
            case IS_NULL -> !present;
            case IS_NOT_NULL -> present;
            default -> present && text(c, kept(entries.get(key), VALUE_KEPT));
        };
    }

    private static boolean attribute(Comparison c, Run run) {
        String key = c.field().key();
        if (key.equals("start_time") || key.equals("end_time")) {
            OffsetDateTime time = key.equals("start_time") ? run.startTime() : run.endTime();
            if (time == null) {
                return false;
            }
            double bound = ((NumberValue) c.value()).value();
            return number(c.op(), time.toInstant().toEpochMilli(), (long) bound);
        }
        return text(c, attributeValue(key, run));
    }

    private static String attributeValue(String key, Run run) {
        return switch (key) {
            case "run_id" -> run.runId();
            case "run_name" -> kept(run.name(), NAME_KEPT);
            case "status" -> run.status();
            case "user_id" -> run.user();
            case "team" -> run.team();
            case "project" -> run.project();
            case "failure_type" ->
                run.failure() == null ? null : kept(run.failure().type(), NAME_KEPT);
            case "failure_group" -> failureGroup(run);
            default -> throw new IllegalArgumentException("unknown attribute " + key);
        };
    }

    /** The failure group of a failed run, as the search index has it; null without a failure. */
    public static String failureGroup(Run run) {
        if (run.failure() == null) {
            return null;
        }
        FailureSignature signature = FailureSignature.of(
                run.failure().type(), run.failure().message(), run.failure().stacktrace());
        return signature == null ? null : signature.group();
    }

    private static boolean dataset(Comparison c, JsonNode datasets) {
        if (datasets == null || !datasets.isArray()) {
            return false;
        }
        String key = c.field().key();
        int kept = key.equals("digest") ? DIGEST_KEPT : NAME_KEPT;
        for (JsonNode dataset : datasets) {
            JsonNode value = dataset.get(key);
            if (value != null && value.isTextual() && text(c, kept(value.textValue(), kept))) {
                return true;
            }
        }
        return false;
    }

    /** A comparison of a keyword value; a missing value matches nothing. */
    private static boolean text(Comparison c, String value) {
        if (value == null) {
            return false;
        }
        return switch (c.op()) {
            case EQ -> value.equals(((TextValue) c.value()).value());
            case NE -> !value.equals(((TextValue) c.value()).value());
            case LIKE ->
                like(((TextValue) c.value()).value(), false).matcher(value).matches();
            case ILIKE ->
                like(((TextValue) c.value()).value(), true).matcher(value).matches();
            case IN -> ((ListValue) c.value()).values().contains(value);
            case NOT_IN -> !((ListValue) c.value()).values().contains(value);
            default -> throw new IllegalStateException(c.op() + " does not compare text");
        };
    }

    private static boolean number(Op op, double value, double bound) {
        return switch (op) {
            case EQ -> value == bound;
            case NE -> value != bound;
            case GT -> value > bound;
            case GE -> value >= bound;
            case LT -> value < bound;
            case LE -> value <= bound;
            default -> throw new IllegalStateException(op + " does not compare numbers");
        };
    }

    /** SQL LIKE as a regular expression: {@code %} any run of characters, {@code _} one character. */
    static Pattern like(String pattern, boolean ignoreCase) {
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '%' || ch == '_') {
                parts.add(Pattern.quote(literal.toString()));
                literal.setLength(0);
                parts.add(ch == '%' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        parts.add(Pattern.quote(literal.toString()));
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(String.join("", parts), flags);
    }

    /** A keyword value as the index keeps it: one longer than {@code limit} is not indexed. */
    private static String kept(String value, int limit) {
        return value == null || value.length() > limit ? null : Objects.requireNonNull(value);
    }
}
