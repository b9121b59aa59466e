package dev.labjournal.query.search.filter;

import dev.labjournal.query.search.filter.Filter.Field;

/**
 * One key of an MLflow-style {@code order_by} list, e.g. {@code metrics.loss DESC}, parsed by
 * {@link FilterParser#parseSort}.
 *
 * @param column the 1-based column where the key starts, for errors about it
 */
public record SortKey(Field field, boolean descending, int column) {}
