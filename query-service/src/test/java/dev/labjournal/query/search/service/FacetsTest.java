package dev.labjournal.query.search.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.search.service.Facets.Facet;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch._types.aggregations.Aggregation;

/** The facets a {@code facets=} parameter names, and the aggregations they become. */
class FacetsTest {

    private static JsonNode wire(Map<String, Aggregation> aggregations) throws Exception {
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            generator.writeStartObject();
            aggregations.forEach((name, aggregation) -> {
                generator.writeKey(name);
                aggregation.serialize(generator, mapper);
            });
            generator.writeEnd();
        }
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void namesBecomeFacetsOnTheirFieldsOnceEach() {
        assertThat(Facets.parse("team,failure_type, tags.env,team,failure_group,tags.`a.b`"))
                .containsExactly(
                        new Facet("team", "team", null),
                        new Facet("failure_type", "failure_type.raw", null),
                        new Facet("tags.env", "tags.value", "env"),
                        new Facet("failure_group", "failure_group", null),
                        new Facet("tags.a.b", "tags.value", "a.b"));
        assertThat(Facets.parse(" ")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnknownFacetIsInvalidFacetNamingIt() {
        assertThatThrownBy(() -> Facets.parse("team,colour")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("invalid_facet");
            assertThat(e.getMessage()).contains("'colour'").contains("tags.<key>");
            assertThat((Map<Object, Object>) e.details())
                    .containsEntry("facet", "colour")
                    .containsEntry("column", 6);
        });
        assertThatThrownBy(() -> Facets.parse("metrics.loss"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat((Map<Object, Object>) e.details()).containsEntry("facet", "metrics.loss"));
        assertThatThrownBy(() -> Facets.parse("team status"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_facet"));
    }

    @Test
    void aFieldFacetIsATermsAggregationMostFrequentFirst() throws Exception {
        JsonNode terms =
                wire(Facets.aggregations(Facets.parse("team"), 25)).get("f0").get("terms");

        assertThat(terms.get("field").asText()).isEqualTo("team");
        assertThat(terms.get("size").asInt()).isEqualTo(25);
        assertThat(terms.get("order").get(0).get("_count").asText()).isEqualTo("desc");
        assertThat(terms.get("order").get(1).get("_key").asText()).isEqualTo("asc");
    }

    @Test
    void aTagFacetCountsTheValuesOfThatKeyInsideTheNestedTags() throws Exception {
        JsonNode aggregations = wire(Facets.aggregations(List.of(new Facet("tags.env", "tags.value", "env")), 10));

        JsonNode nested = aggregations.get("f0");
        assertThat(nested.get("nested").get("path").asText()).isEqualTo("tags");
        JsonNode key = nested.get("aggregations").get("key");
        assertThat(key.get("filter").get("term").get("tags.key").get("value").asText())
                .isEqualTo("env");
        assertThat(key.get("aggregations")
                        .get("values")
                        .get("terms")
                        .get("field")
                        .asText())
                .isEqualTo("tags.value");
    }
}
