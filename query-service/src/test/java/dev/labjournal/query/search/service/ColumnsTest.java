package dev.labjournal.query.search.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.Filter.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The param, metric and tag columns of a search: parsed as filter names, read from a run's document. */
class ColumnsTest {

    @Test
    void namesBecomeColumnsOnceEachInTheirOrder() {
        assertThat(Columns.parse("param.lr, metrics.`val loss`,tags.env,params.lr"))
                .containsExactly(
                        new Field(Kind.PARAM, "lr"), new Field(Kind.METRIC, "val loss"), new Field(Kind.TAG, "env"));
        assertThat(Columns.parse(" ")).isEmpty();
        assertThat(Columns.name(new Field(Kind.METRIC, "val loss"))).isEqualTo("metrics.val loss");
    }

    @Test
    @SuppressWarnings("unchecked")
    void attributesBareWordsAndTooManyAreInvalidColumnsWithTheColumn() {
        assertThatThrownBy(() -> Columns.parse("params.lr,team")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_columns");
            assertThat((Map<Object, Object>) e.details()).containsEntry("column", 11);
        });
        assertThatThrownBy(() -> Columns.parse("attributes.status"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getMessage()).contains("'status'"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= Columns.MAX; i++) {
            many.append(i == 0 ? "" : ",").append("params.p").append(i);
        }
        assertThatThrownBy(() -> Columns.parse(many.toString()))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getMessage()).contains("at most 20"));
    }

    @Test
    void valuesAreTheParamsStringTheMetricsLastValueOrNullWhenTheRunLacksTheKey() throws Exception {
        var doc = new ObjectMapper()
                .readTree("{\"params\": [{\"key\": \"lr\", \"value\": \"0.1\", \"number\": 0.1}],"
                        + " \"metrics\": [{\"key\": \"loss\", \"last\": 0.25, \"min\": 0.2}, {\"key\": \"acc\"}],"
                        + " \"tags\": []}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("params.lr", "0.1");
        expected.put("metrics.loss", 0.25);
        expected.put("metrics.acc", null);
        expected.put("tags.env", null);

        assertThat(Columns.values(doc, Columns.parse("params.lr,metrics.loss,metrics.acc,tags.env")))
                .containsExactlyEntriesOf(expected);
        assertThat(Columns.sources(Columns.parse("metrics.a,params.b,metrics.c")))
                .isEqualTo(List.of("metrics", "params"));
    }
}
