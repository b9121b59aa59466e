package dev.labjournal.query.search.service;

import dev.labjournal.query.search.filter.Filter;
import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.service.Facets.Facet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One search request, parsed: the text to match (blank: all runs), the filter (null: none) as written and as
 * parsed, the order, the facets to count and how many values each, the page size and the param, metric and tag
 * columns to return with each run.
 */
public record SearchQuery(
        String text,
        String filterText,
        Filter filter,
        SearchOrder order,
        List<Facet> facets,
        int facetSize,
        int limit,
        List<Field> columns) {

    public SearchQuery {
        text = text == null ? "" : text.strip();
        filterText = filterText == null ? "" : filterText.strip();
        facets = List.copyOf(facets);
        columns = List.copyOf(columns);
    }

    public boolean hasText() {
        return !text.isEmpty();
    }

    /**
     * What a page token is bound to: a digest of the text, the filter and the order (not of the facets, the page
     * size or the columns, which may change from page to page).
     */
    public String digest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\u0000", text, filterText, order.signature())
                            .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
