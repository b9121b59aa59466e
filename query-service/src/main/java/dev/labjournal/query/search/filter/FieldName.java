package dev.labjournal.query.search.filter;

import dev.labjournal.query.search.filter.Filter.Field;

/**
 * One item of a comma-separated list of names, parsed by {@link FilterParser#parseNames}: either a bare word
 * ({@code team}) or an identifier of the filter language ({@code tags.env}, {@code tags.`a.b`}).
 *
 * @param word the bare word, or null for an identifier
 * @param field the identifier, or null for a bare word
 * @param column the 1-based column where the item starts
 */
public record FieldName(String word, Field field, int column) {}
