package dev.labjournal.query.search.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.core.search.Highlight;

/** The highlight part of the search request, as OpenSearch receives it. */
class RunSearchHighlightTest {

    private static JsonNode wire(Highlight highlight) throws Exception {
        JacksonJsonpMapper mapper = new JacksonJsonpMapper();
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            highlight.serialize(generator, mapper);
        }
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void fragmentsAreHtmlEncodedWithOnlyEmMarkersAdded() throws Exception {
        JsonNode highlight = wire(RunSearch.highlight());

        assertThat(highlight.get("encoder").asText())
                .as("the html encoder escapes & < > \" ' of the fragment text before the markers are added")
                .isEqualTo("html");
        assertThat(highlight.get("pre_tags")).hasSize(1);
        assertThat(highlight.get("pre_tags").get(0).asText()).isEqualTo("<em>");
        assertThat(highlight.get("post_tags")).hasSize(1);
        assertThat(highlight.get("post_tags").get(0).asText()).isEqualTo("</em>");
    }

    @Test
    void everyHighlightedFieldUsesTheRequestEncoder() throws Exception {
        JsonNode fields = wire(RunSearch.highlight()).get("fields");

        assertThat(fields.size()).isEqualTo(7);
        fields.fields()
                .forEachRemaining(field -> assertThat(field.getValue().has("encoder"))
                        .as("field %s overrides no encoder", field.getKey())
                        .isFalse());
        assertThat(fields.has("failure_message")).isTrue();
        assertThat(fields.has("failure_stacktrace")).isTrue();
    }
}
