package dev.labjournal.query.search.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.search.filter.FilterParser;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch._types.SortOptions;

/** The sort of the OpenSearch request for a search order, as OpenSearch receives it. */
class SearchOrderTest {

    private static JsonNode wire(SearchOrder order) throws Exception {
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            generator.writeStartArray();
            for (SortOptions option : order.options()) {
                option.serialize(generator, mapper);
            }
            generator.writeEnd();
        }
        return new ObjectMapper().readTree(out.toString());
    }

    private static SearchOrder sort(String text) {
        return SearchOrder.of(FilterParser.parseSort(text), false);
    }

    @Test
    void aMetricSortsOnItsOwnNestedEntryWithRunsLackingItLastAndRunIdBreaksTies() throws Exception {
        JsonNode sort = wire(sort("metrics.loss DESC"));

        assertThat(sort).hasSize(3);
        JsonNode present = sort.get(0).get("metrics.key");
        assertThat(present.get("order").asText()).isEqualTo("asc");
        assertThat(present.get("missing").asText()).isEqualTo("_last");
        assertThat(present.get("nested")
                        .get("filter")
                        .get("term")
                        .get("metrics.key")
                        .get("value")
                        .asText())
                .isEqualTo("loss");
        JsonNode loss = sort.get(1).get("metrics.last");
        assertThat(loss.get("order").asText()).isEqualTo("desc");
        assertThat(loss.get("missing").asText()).isEqualTo("_last");
        assertThat(loss.get("nested").get("path").asText()).isEqualTo("metrics");
        assertThat(loss.get("nested")
                        .get("filter")
                        .get("term")
                        .get("metrics.key")
                        .get("value")
                        .asText())
                .isEqualTo("loss");
        assertThat(sort.get(2).get("run_id").get("order").asText()).isEqualTo("asc");
    }

    @Test
    void paramsTagsAndAttributesSortOnTheirDocumentFields() throws Exception {
        JsonNode sort = wire(sort("params.lr, tags.env DESC, attributes.run_name, user, start_time DESC"));

        assertThat(sort.get(1).get("params.value").get("nested").get("path").asText())
                .isEqualTo("params");
        assertThat(sort.get(3).get("tags.value").get("order").asText()).isEqualTo("desc");
        assertThat(sort.get(4).get("name.raw").get("order").asText()).isEqualTo("asc");
        assertThat(sort.get(5).has("user")).isTrue();
        assertThat(sort.get(6).get("start_time").get("missing").asText()).isEqualTo("_last");
        assertThat(sort.get(7).has("run_id")).isTrue();
    }

    @Test
    void theDefaultIsRelevanceWithTextAndNewestFirstWithout() throws Exception {
        JsonNode relevance = wire(SearchOrder.of(List.of(), true));
        assertThat(relevance.get(0).get("_score").get("order").asText()).isEqualTo("desc");
        assertThat(relevance.get(relevance.size() - 1).has("run_id")).isTrue();

        JsonNode newest = wire(SearchOrder.of(List.of(), false));
        assertThat(newest.get(0).get("start_time").get("order").asText()).isEqualTo("desc");
        assertThat(newest.get(1).get("last_event_time").get("order").asText()).isEqualTo("desc");
        assertThat(newest.get(2).has("run_id")).isTrue();
    }

    @Test
    void theSignatureIgnoresHowAnOrderIsWritten() {
        assertThat(sort("metric.`loss` asc, attr.name").signature())
                .isEqualTo(sort("metrics.loss, attributes.run_name ASC").signature());
        assertThat(sort("metrics.loss DESC").signature())
                .isNotEqualTo(sort("metrics.loss").signature());
        assertThat(SearchOrder.of(List.of(), true).signature())
                .isNotEqualTo(SearchOrder.of(List.of(), false).signature());
    }
}
