package dev.labjournal.query.search.service;

import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.search.SearchPage.FacetValue;
import dev.labjournal.query.search.filter.FieldName;
import dev.labjournal.query.search.filter.Filter.Kind;
import dev.labjournal.query.search.filter.FilterException;
import dev.labjournal.query.search.filter.FilterParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.Aggregate;
import org.opensearch.client.opensearch._types.aggregations.Aggregation;
import org.opensearch.client.opensearch._types.aggregations.StringTermsBucket;

/**
 * Facets of a search: for each requested name, the most frequent values among all the runs that match (the whole
 * match, not the page) with their run counts, most frequent first (ties by value). Terms aggregations on keyword
 * fields; {@code tags.<key>} is a terms aggregation on the values of that key inside the nested tags.
 */
public final class Facets {

    /** The facet names on top-level fields, with their document fields. */
    static final Map<String, String> FIELDS = Map.of(
            "team", "team",
            "project", "project",
            "status", "status",
            "failure_type", "failure_type.raw",
            "user", "user",
            "failure_group", "failure_group");

    private static final String NAMES = "team, project, status, failure_type, user, failure_group, tags.<key>";

    private static final String VALUES = "values";

    private Facets() {}

    /** A requested facet: its name in the answer, and the field or tag key it counts. */
    public record Facet(String name, String field, String tagKey) {}

    /**
     * The facets of a {@code facets=} parameter ({@code team,status,tags.env}; tag keys quoted as in filters,
     * {@code tags.`a.b`}); null or blank: none. An unknown name is a 400 {@code invalid_facet} naming it.
     */
    public static List<Facet> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<FieldName> names;
        try {
            names = FilterParser.parseNames(text);
        } catch (FilterException e) {
            throw invalid(e.getMessage(), e.column(), null);
        }
        Map<String, Facet> facets = new LinkedHashMap<>();
        for (FieldName name : names) {
            Facet facet;
            if (name.word() != null) {
                String field = FIELDS.get(name.word());
                if (field == null) {
                    throw invalid("unknown facet '" + name.word() + "', allowed: " + NAMES, name.column(), name.word());
                }
                facet = new Facet(name.word(), field, null);
            } else if (name.field().kind() == Kind.TAG) {
                facet = new Facet(
                        "tags." + name.field().key(), "tags.value", name.field().key());
            } else {
                String written = name.field().kind().name().toLowerCase(java.util.Locale.ROOT) + "s."
                        + name.field().key();
                throw invalid("unknown facet '" + written + "', allowed: " + NAMES, name.column(), written);
            }
            facets.putIfAbsent(facet.name(), facet);
        }
        return List.copyOf(facets.values());
    }

    /** The aggregations of the facets, named {@code f0, f1, ...} in their order, with {@code size} buckets each. */
    public static Map<String, Aggregation> aggregations(List<Facet> facets, int size) {
        Map<String, Aggregation> aggregations = new LinkedHashMap<>();
        for (int i = 0; i < facets.size(); i++) {
            Facet facet = facets.get(i);
            Aggregation terms = terms(facet.field(), size);
            aggregations.put(
                    "f" + i,
                    facet.tagKey() == null
                            ? terms
                            : Aggregation.of(a -> a.nested(n -> n.path("tags"))
                                    .aggregations(
                                            "key",
                                            Aggregation.of(k -> k.filter(q -> q.term(t ->
                                                            t.field("tags.key").value(FieldValue.of(facet.tagKey()))))
                                                    .aggregations(VALUES, terms)))));
        }
        return aggregations;
    }

    /** The buckets of each facet, by name, read from the aggregations of the response. */
    public static Map<String, List<FacetValue>> read(List<Facet> facets, Map<String, Aggregate> aggregations) {
        Map<String, List<FacetValue>> result = new LinkedHashMap<>();
        for (int i = 0; i < facets.size(); i++) {
            Facet facet = facets.get(i);
            Aggregate aggregate = aggregations.get("f" + i);
            if (aggregate != null && facet.tagKey() != null) {
                aggregate = aggregate
                        .nested()
                        .aggregations()
                        .get("key")
                        .filter()
                        .aggregations()
                        .get(VALUES);
            }
            result.put(facet.name(), buckets(aggregate));
        }
        return result;
    }

    private static Aggregation terms(String field, int size) {
        return Aggregation.of(a -> a.terms(t -> t.field(field)
                .size(size)
                .order(List.of(Map.of("_count", SortOrder.Desc), Map.of("_key", SortOrder.Asc)))));
    }

    /** String buckets; a field no document has (unmapped) gives none. */
    private static List<FacetValue> buckets(Aggregate aggregate) {
        List<FacetValue> values = new ArrayList<>();
        if (aggregate == null || !aggregate.isSterms()) {
            return values;
        }
        for (StringTermsBucket bucket : aggregate.sterms().buckets().array()) {
            values.add(new FacetValue(bucket.key(), bucket.docCount()));
        }
        return values;
    }

    private static ApiException invalid(String message, int column, String facet) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("param", "facets");
        details.put("column", column);
        if (facet != null) {
            details.put("facet", facet);
        }
        return ApiException.badRequest("invalid_facet", message, details);
    }
}
