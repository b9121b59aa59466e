package dev.labjournal.query.search.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.search.filter.Filter.Comparison;
import dev.labjournal.query.search.filter.Filter.Field;
import dev.labjournal.query.search.filter.Filter.Kind;
import dev.labjournal.query.search.filter.Filter.Op;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch._types.query_dsl.Query;

/** The OpenSearch queries filters become, as OpenSearch receives them. */
class FilterQueriesTest {

    private static JsonNode wire(Filter filter) throws Exception {
        Query query = FilterQueries.of(filter);
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            query.serialize(generator, mapper);
        }
        return new ObjectMapper().readTree(out.toString());
    }

    private static Comparison param(Op op, Filter.Value value) {
        return new Comparison(new Field(Kind.PARAM, "lr"), op, value);
    }

    @Test
    void aKeyedComparisonMatchesKeyAndValueInOneNestedObject() throws Exception {
        JsonNode query = wire(param(Op.EQ, new Filter.TextValue("0.1")));

        JsonNode nested = query.get("nested");
        assertThat(nested.get("path").asText()).isEqualTo("params");
        JsonNode filters = nested.get("query").get("bool").get("filter");
        assertThat(filters.get(0).get("term").get("params.key").get("value").asText())
                .isEqualTo("lr");
        assertThat(filters.get(1).get("term").get("params.value").get("value").asText())
                .isEqualTo("0.1");
    }

    @Test
    void notEqualNeedsTheKeySoARunWithoutItNeverMatches() throws Exception {
        JsonNode bool = wire(param(Op.NE, new Filter.TextValue("0.1")))
                .get("nested")
                .get("query")
                .get("bool");

        assertThat(bool.get("filter")
                        .get(0)
                        .get("term")
                        .get("params.key")
                        .get("value")
                        .asText())
                .isEqualTo("lr");
        assertThat(bool.get("must_not")
                        .get(0)
                        .get("term")
                        .get("params.value")
                        .get("value")
                        .asText())
                .isEqualTo("0.1");
    }

    @Test
    void isNullIsTheAbsenceOfTheKey() throws Exception {
        JsonNode query = wire(param(Op.IS_NULL, new Filter.NoValue()));

        assertThat(query.get("bool")
                        .get("must_not")
                        .get(0)
                        .get("nested")
                        .get("path")
                        .asText())
                .isEqualTo("params");
    }

    @Test
    void likeWildcardsBecomeOpenSearchWildcardsAndItsOwnAreEscaped() throws Exception {
        JsonNode wildcard = wire(param(Op.ILIKE, new Filter.TextValue("a%b_c*d?e\\f")))
                .get("nested")
                .get("query")
                .get("bool")
                .get("filter")
                .get(1)
                .get("wildcard")
                .get("params.value");

        assertThat(wildcard.get("value").asText()).isEqualTo("a*b?c\\*d\\?e\\\\f");
        assertThat(wildcard.get("case_insensitive").asBoolean()).isTrue();
    }

    @Test
    void timesAreRangesInEpochMillisecondsAndOrNeedsOneTerm() throws Exception {
        JsonNode query = wire(new Filter.Or(List.of(
                new Comparison(new Field(Kind.ATTRIBUTE, "start_time"), Op.GT, new Filter.NumberValue(1.7e12)),
                new Comparison(new Field(Kind.ATTRIBUTE, "status"), Op.IN, new Filter.ListValue(List.of("failed"))))));

        JsonNode bool = query.get("bool");
        assertThat(bool.get("minimum_should_match").asText()).isEqualTo("1");
        JsonNode range = bool.get("should").get(0).get("range").get("start_time");
        assertThat(range.get("gt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(range.get("format").asText()).isEqualTo("epoch_millis");
        assertThat(bool.get("should").get(1).get("terms").get("status").get(0).asText())
                .isEqualTo("failed");
    }

    @Test
    void aDatasetComparisonMatchesWhenAnyDatasetOfTheRunDoes() throws Exception {
        JsonNode nested = wire(new Comparison(
                        new Field(Kind.DATASET, "digest"), Op.EQ, new Filter.TextValue("sha256:1")))
                .get("nested");

        assertThat(nested.get("path").asText()).isEqualTo("datasets");
        assertThat(nested.get("query")
                        .get("term")
                        .get("datasets.digest")
                        .get("value")
                        .asText())
                .isEqualTo("sha256:1");
    }

    @Test
    void notInOnDatasetsNeedsADatasetWithTheFieldAndAnotherValue() throws Exception {
        JsonNode bool = wire(new Comparison(
                        new Field(Kind.DATASET, "name"), Op.NOT_IN, new Filter.ListValue(List.of("mnist", "cifar"))))
                .get("nested")
                .get("query")
                .get("bool");

        assertThat(bool.get("filter").get(0).get("exists").get("field").asText())
                .isEqualTo("datasets.name");
        assertThat(bool.get("must_not")
                        .get(0)
                        .get("terms")
                        .get("datasets.name")
                        .get(1)
                        .asText())
                .isEqualTo("cifar");
    }
}
