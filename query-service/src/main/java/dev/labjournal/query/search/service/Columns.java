package dev.labjournal.query.search.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.search.filter.FieldName;
import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.Filter.Kind;
import dev.labjournal.query.search.filter.FilterException;
import dev.labjournal.query.search.filter.FilterParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The param, metric and tag columns a search returns with each run ({@code columns=params.lr,metrics.loss,tags.env};
 * keys quoted as in filters): under {@code "columns"}, each by its canonical name ({@code params.lr}), a param's or
 * tag's string, a metric's last value, or null when the run lacks the key. At most {@value #MAX} columns.
 */
public final class Columns {

    static final int MAX = 20;

    private Columns() {}

    /** The columns of a {@code columns=} parameter; null or blank: none. 400 {@code invalid_columns} naming the fault. */
    public static List<Field> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<FieldName> names;
        try {
            names = FilterParser.parseNames(text);
        } catch (FilterException e) {
            throw invalid(e.getMessage(), e.column());
        }
        Set<Field> columns = new LinkedHashSet<>();
        for (FieldName name : names) {
            Field field = name.field();
            if (field == null
                    || !(field.kind() == Kind.PARAM || field.kind() == Kind.METRIC || field.kind() == Kind.TAG)) {
                throw invalid(
                        "a column is a param, metric or tag (params.lr, metrics.loss, tags.env), not '"
                                + (field == null ? name.word() : field.key()) + "'",
                        name.column());
            }
            columns.add(field);
        }
        if (columns.size() > MAX) {
            throw invalid("at most " + MAX + " columns", names.get(MAX).column());
        }
        return List.copyOf(columns);
    }

    /** The canonical name of a column: {@code params.<key>}, {@code metrics.<key>} or {@code tags.<key>}. */
    public static String name(Field field) {
        return source(field.kind()) + "." + field.key();
    }

    /** The nested list of the document a column reads. */
    static String source(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT) + "s";
    }

    /** Each column's value in a run's document (which holds the nested lists the columns read). */
    static Map<String, Object> values(JsonNode doc, List<Field> columns) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field column : columns) {
            values.put(name(column), value(doc.path(source(column.kind())), column));
        }
        return values;
    }

    private static Object value(JsonNode entries, Field column) {
        for (JsonNode entry : entries) {
            if (column.key().equals(entry.path("key").asText(null))) {
                JsonNode value = entry.get(column.kind() == Kind.METRIC ? "last" : "value");
                if (value == null || value.isNull()) {
                    return null;
                }
                return value.isNumber() ? (Object) value.doubleValue() : value.asText();
            }
        }
        return null;
    }

    /** The nested lists the columns need in the documents' source. */
    static List<String> sources(List<Field> columns) {
        List<String> sources = new ArrayList<>();
        columns.forEach(c -> {
            if (!sources.contains(source(c.kind()))) {
                sources.add(source(c.kind()));
            }
        });
        return sources;
    }

    private static ApiException invalid(String message, int column) {
        return ApiException.badRequest("invalid_columns", message, Map.of("param", "columns", "column", column));
    }
}
