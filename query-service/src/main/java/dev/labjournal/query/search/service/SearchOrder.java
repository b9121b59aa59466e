package dev.labjournal.query.search.service;

import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.FilterQueries;
import dev.labjournal.query.search.filter.SortKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortMode;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/**
 * The order of a search. The request's {@code sort} keys, or by default relevance when there is text to match and
 * newest first ({@code start_time} then {@code last_event_time}, descending) when there is none; always ending with
 * {@code run_id} so that every hit has its own place and search_after neither repeats nor skips one. A run without
 * a key sorts after those that have it, ascending and descending alike.
 *
 * @param relevance whether hits are ordered by score first (the default with text); scores move whenever the index
 *     changes, hence the point in time of such searches (see {@link RunSearch})
 */
public record SearchOrder(List<SortKey> keys, boolean relevance) {

    public SearchOrder {
        keys = List.copyOf(keys);
    }

    /** The requested keys (empty: the default for {@code hasText}). */
    public static SearchOrder of(List<SortKey> requested, boolean hasText) {
        return new SearchOrder(requested, requested.isEmpty() && hasText);
    }

    /** The sort of the OpenSearch request. */
    public List<SortOptions> options() {
        List<SortOptions> options = new ArrayList<>();
        if (relevance) {
            options.add(SortOptions.of(o -> o.score(s -> s.order(SortOrder.Desc))));
            options.add(field("start_time", true));
        } else if (keys.isEmpty()) {
            options.add(field("start_time", true));
            options.add(field("last_event_time", true));
        } else {
            keys.forEach(key -> options.addAll(options(key)));
        }
        options.add(field("run_id", false));
        return options;
    }

    /** A canonical text of the order, for page tokens: two requests of the same order have the same text. */
    public String signature() {
        if (relevance) {
            return "relevance";
        }
        if (keys.isEmpty()) {
            return "newest";
        }
        return keys.stream()
                .map(k -> k.field().kind() + ":" + k.field().key() + ":" + (k.descending() ? "desc" : "asc"))
                .collect(Collectors.joining(","));
    }

    private static List<SortOptions> options(SortKey key) {
        Field field = key.field();
        return switch (field.kind()) {
            case METRIC -> nested("metrics", "last", field.key(), key.descending());
            case PARAM -> nested("params", "value", field.key(), key.descending());
            case TAG -> nested("tags", "value", field.key(), key.descending());
            case ATTRIBUTE -> List.of(field(FilterQueries.attributeField(field.key()), key.descending()));
            case DATASET -> throw new IllegalArgumentException("datasets cannot be sorted on");
        };
    }

    private static SortOptions field(String field, boolean descending) {
        return SortOptions.of(o -> o.field(f -> f.field(field)
                .order(descending ? SortOrder.Desc : SortOrder.Asc)
                .missing(FieldValue.of("_last"))));
    }

    /**
     * The value of one key of a nested list: only the entry of that key counts; runs without it go last. Two sorts:
     * first whether the run has the key (its {@code key}, the same for all that have it, or missing: last), then the
     * value. The first is there for correctness, not speed: OpenSearch 3.6 was seen to drop hits when the first sort
     * of a request was a nested numeric one with missing values last (5 runs whose documents had been updated, size
     * 2 or 3: runs 0.2 and 0.5 missing from an ascending page; a larger size, {@code missing: _first} or a keyword
     * sort first all gave the right page; a freshly filled index did not show it). Most likely its skipping of
     * non-competitive documents, which a keyword sort ahead of the numeric one turns off.
     */
    private static List<SortOptions> nested(String path, String valueField, String key, boolean descending) {
        Query ofKey = Query.of(q -> q.term(t -> t.field(path + ".key").value(FieldValue.of(key))));
        SortOptions present = SortOptions.of(o -> o.field(f -> f.field(path + ".key")
                .order(SortOrder.Asc)
                .missing(FieldValue.of("_last"))
                .nested(n -> n.path(path).filter(ofKey))));
        SortOptions value = SortOptions.of(o -> o.field(f -> f.field(path + "." + valueField)
                .order(descending ? SortOrder.Desc : SortOrder.Asc)
                .mode(descending ? SortMode.Max : SortMode.Min)
                .missing(FieldValue.of("_last"))
                .nested(n -> n.path(path).filter(ofKey))));
        return List.of(present, value);
    }
}
