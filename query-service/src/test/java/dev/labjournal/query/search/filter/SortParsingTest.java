package dev.labjournal.query.search.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.Filter.Kind;
import org.junit.jupiter.api.Test;

/** {@link FilterParser#parseSort} and {@link FilterParser#parseNames}: the filter language's identifiers in lists. */
class SortParsingTest {

    private static FilterException error(String sort) {
        try {
            FilterParser.parseSort(sort);
        } catch (FilterException e) {
            return e;
        }
        throw new AssertionError("no error for " + sort);
    }

    @Test
    void mlflowOrderByWithAscendingAsTheDefault() {
        assertThat(FilterParser.parseSort("metrics.loss ASC, attributes.start_time DESC"))
                .containsExactly(
                        new SortKey(new Field(Kind.METRIC, "loss"), false, 1),
                        new SortKey(new Field(Kind.ATTRIBUTE, "start_time"), true, 19));
        assertThat(FilterParser.parseSort("params.lr"))
                .containsExactly(new SortKey(new Field(Kind.PARAM, "lr"), false, 1));
    }

    @Test
    void prefixAliasesQuotingAndBareAttributesAsInFilters() {
        assertThat(FilterParser.parseSort("metric.`val.loss` desc,tag.\"my env\",run.name,start_time Desc"))
                .extracting(SortKey::field, SortKey::descending)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(new Field(Kind.METRIC, "val.loss"), true),
                        org.assertj.core.groups.Tuple.tuple(new Field(Kind.TAG, "my env"), false),
                        org.assertj.core.groups.Tuple.tuple(new Field(Kind.ATTRIBUTE, "run_name"), false),
                        org.assertj.core.groups.Tuple.tuple(new Field(Kind.ATTRIBUTE, "start_time"), true));
        assertThat(FilterParser.parseSort("user").get(0).field()).isEqualTo(new Field(Kind.ATTRIBUTE, "user_id"));
    }

    @Test
    void badSortsSayWhere() {
        assertThat(error("metrics.loss UP").column()).isEqualTo(14);
        assertThat(error("metrics.loss UP").getMessage()).contains("ASC, DESC");
        assertThat(error("attributes.colour").column()).isEqualTo(12);
        assertThat(error("colour DESC").getMessage()).contains("'colour'");
        assertThat(error("datasets.name").getMessage()).contains("datasets cannot be sorted on");
        assertThat(error("metrics.loss,").getMessage()).contains("sort key");
        assertThat(error("metrics.").column()).isEqualTo(9);
        assertThat(error("metrics.a.b").getMessage()).contains("must be quoted");
        assertThat(error("metrics.loss ASC DESC").column()).isEqualTo(18);
        assertThatThrownBy(() -> FilterParser.parseSort(" ")).hasMessageContaining("empty sort");
        assertThat(error("start_time, ".repeat(11) + "end_time").getMessage()).contains("more than 10 sort keys");
    }

    @Test
    void namesAreBareWordsOrIdentifiers() {
        assertThat(FilterParser.parseNames("team, tags.env ,tags.`a,b`"))
                .containsExactly(
                        new FieldName("team", null, 1),
                        new FieldName(null, new Field(Kind.TAG, "env"), 7),
                        new FieldName(null, new Field(Kind.TAG, "a,b"), 17));
        assertThatThrownBy(() -> FilterParser.parseNames("team status"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("expected ','");
        assertThatThrownBy(() -> FilterParser.parseNames("team,"))
                .isInstanceOf(FilterException.class)
                .hasMessageContaining("reached the end");
    }
}
