package dev.labjournal.query.search.filter;

import dev.labjournal.query.search.filter.Filter.Comparison;
import dev.labjournal.query.search.filter.Filter.ListValue;
import dev.labjournal.query.search.filter.Filter.NumberValue;
import dev.labjournal.query.search.filter.Filter.TextValue;
import java.util.List;
import java.util.Map;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/**
 * Translates a {@link Filter} into an OpenSearch query over the run documents (see {@code search/runs-index.json}):
 * params, tags and metric summaries are nested key/value objects, so a comparison of one key is a nested query that
 * matches key and value in the same object. A run without the metric, param or tag never matches a comparison, not
 * even {@code !=}; only {@code IS NULL} finds it. Datasets are a nested list too: a run matches when any of its datasets
 * does. Values travel as typed query values, never as query strings.
 */
public final class FilterQueries {

    /** The document field of each attribute a filter may name. */
    private static final Map<String, String> ATTRIBUTE_FIELDS = Map.ofEntries(
            Map.entry("run_id", "run_id"),
            Map.entry("run_name", "name.raw"),
            Map.entry("status", "status"),
            Map.entry("user_id", "user"),
            Map.entry("team", "team"),
            Map.entry("project", "project"),
            Map.entry("failure_type", "failure_type.raw"),
            Map.entry("failure_group", "failure_group"),
            Map.entry("start_time", "start_time"),
            Map.entry("end_time", "end_time"));

    private FilterQueries() {}

    /** The document field of an attribute (its canonical name, as {@link FilterParser} gives it). */
    public static String attributeField(String attribute) {
        String field = ATTRIBUTE_FIELDS.get(attribute);
        if (field == null) {
            throw new IllegalArgumentException("unknown attribute " + attribute);
        }
        return field;
    }

    public static Query of(Filter filter) {
        if (filter instanceof Filter.And and) {
            return Query.of(q -> q.bool(b -> b.filter(translateAll(and.terms()))));
        }
        if (filter instanceof Filter.Or or) {
            return Query.of(q -> q.bool(b -> b.should(translateAll(or.terms())).minimumShouldMatch("1")));
        }
        return comparison((Comparison) filter);
    }

    private static List<Query> translateAll(List<Filter> terms) {
        return terms.stream().map(FilterQueries::of).toList();
    }

    private static Query comparison(Comparison c) {
        return switch (c.field().kind()) {
            case METRIC -> keyed("metrics", "last", c);
            case PARAM -> keyed("params", "value", c);
            case TAG -> keyed("tags", "value", c);
            case ATTRIBUTE -> attribute(attributeField(c.field().key()), c);
            case DATASET -> dataset("datasets." + c.field().key(), c);
        };
    }

    /**
     * A comparison of a dataset field, as MLflow does it: the run matches when any of its datasets does, so {@code !=}
     * and {@code NOT IN} hold when some dataset has another value. A run without datasets, or whose datasets lack
     * the field, never matches.
     */
    private static Query dataset(String field, Comparison c) {
        Query matching = switch (c.op()) {
            case NE, NOT_IN ->
                Query.of(q -> q.bool(b -> b.filter(exists(field))
                        .mustNot(value(field, c.op() == Filter.Op.NE ? Filter.Op.EQ : Filter.Op.IN, c))));
            default -> value(field, c.op(), c);
        };
        return nested("datasets", matching);
    }

    /** A comparison of one key of a nested list (metrics, params, tags). */
    private static Query keyed(String path, String valueField, Comparison c) {
        String field = path + "." + valueField;
        Query key = term(path + ".key", c.field().key());
        return switch (c.op()) {
            case IS_NULL -> Query.of(q -> q.bool(b -> b.mustNot(nested(path, key))));
            case IS_NOT_NULL -> nested(path, key);
            case NE ->
                nested(
                        path,
                        Query.of(q ->
                                q.bool(b -> b.filter(key, exists(field)).mustNot(value(field, Filter.Op.EQ, c)))));
            default -> nested(path, Query.of(q -> q.bool(b -> b.filter(key, value(field, c.op(), c)))));
        };
    }

    /** A comparison of a top-level field; a run without it never matches. */
    private static Query attribute(String field, Comparison c) {
        return switch (c.op()) {
            case NE, NOT_IN ->
                Query.of(q -> q.bool(b -> b.filter(exists(field))
                        .mustNot(value(field, c.op() == Filter.Op.NE ? Filter.Op.EQ : Filter.Op.IN, c))));
            default -> value(field, c.op(), c);
        };
    }

    /** The query that a field's value satisfies {@code op} against the comparison's value. */
    private static Query value(String field, Filter.Op op, Comparison c) {
        return switch (op) {
            case EQ ->
                c.value() instanceof NumberValue n
                        ? range(field, n.value(), n.value(), true, true)
                        : term(field, text(c));
            case GT -> range(field, number(c), null, false, false);
            case GE -> range(field, number(c), null, true, false);
            case LT -> range(field, null, number(c), false, false);
            case LE -> range(field, null, number(c), false, true);
            case LIKE -> wildcard(field, text(c), false);
            case ILIKE -> wildcard(field, text(c), true);
            case IN ->
                Query.of(q -> q.terms(t -> t.field(field)
                        .terms(v -> v.value(((ListValue) c.value())
                                .values().stream().map(FieldValue::of).toList()))));
            default -> throw new IllegalStateException(op + " has no value query");
        };
    }

    private static Query nested(String path, Query query) {
        return Query.of(q -> q.nested(n -> n.path(path).query(query)));
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static Query exists(String field) {
        return Query.of(q -> q.exists(e -> e.field(field)));
    }

    /** A range on a number, or on a date field in epoch milliseconds. */
    private static Query range(String field, Double from, Double to, boolean includeFrom, boolean includeTo) {
        boolean date = field.endsWith("_time");
        return Query.of(q -> q.range(r -> {
            r.field(field);
            if (date) {
                r.format("epoch_millis");
            }
            if (from != null) {
                JsonData bound = bound(from, date);
                if (includeFrom) {
                    r.gte(bound);
                } else {
                    r.gt(bound);
                }
            }
            if (to != null) {
                JsonData bound = bound(to, date);
                if (includeTo) {
                    r.lte(bound);
                } else {
                    r.lt(bound);
                }
            }
            return r;
        }));
    }

    private static JsonData bound(double value, boolean date) {
        return date ? JsonData.of((long) value) : JsonData.of(value);
    }

    /** SQL {@code LIKE} wildcards ({@code %}, {@code _}) as OpenSearch wildcards, its own wildcards escaped. */
    static Query wildcard(String field, String like, boolean ignoreCase) {
        StringBuilder pattern = new StringBuilder(like.length() + 8);
        for (int i = 0; i < like.length(); i++) {
            char ch = like.charAt(i);
            switch (ch) {
                case '%' -> pattern.append('*');
                case '_' -> pattern.append('?');
                case '*', '?', '\\' -> pattern.append('\\').append(ch);
                default -> pattern.append(ch);
            }
        }
        return Query.of(
                q -> q.wildcard(w -> w.field(field).value(pattern.toString()).caseInsensitive(ignoreCase)));
    }

    private static String text(Comparison c) {
        if (c.value() instanceof TextValue t) {
            return t.value();
        }
        throw new IllegalStateException(c.field() + " " + c.op() + " needs a string, the parser gave " + c.value());
    }

    private static double number(Comparison c) {
        if (c.value() instanceof NumberValue n) {
            return n.value();
        }
        throw new IllegalStateException(c.field() + " " + c.op() + " needs a number, the parser gave " + c.value());
    }
}
