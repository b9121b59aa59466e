package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.labjournal.schemas.alerts.AlertEvents;
import dev.labjournal.schemas.changes.RunChangeCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema META_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    static List<Path> schemaFiles() {
        return Examples.files("labjournal/schemas");
    }

    @Test
    void shipsTheEnvelopeTheSharedDefinitionsOneSchemaPerTypeTheRunChangesMessageAndTheAlert() {
        List<String> expected = new ArrayList<>(
                List.of("common.v1.json", "envelope.v1.json", RunChangeCodec.SCHEMA_FILE, AlertEvents.SCHEMA_FILE));
        EventTypes.ALL.forEach(
                type -> expected.add(SchemaCatalog.schemaId(type).substring(SchemaCatalog.ID_PREFIX.length())));

        assertThat(schemaFiles())
                .map(file -> file.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void isAValidDocumentedDraft202012Schema(Path file) throws IOException {
        JsonNode schema = JSON.readTree(file.toFile());

        assertThat(META_SCHEMA.validate(schema)).isEmpty();
        assertThat(schema.get("$schema").textValue()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("$id").textValue()).isEqualTo(SchemaCatalog.ID_PREFIX + file.getFileName());
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(undocumentedProperties(schema, "$")).isEmpty();
    }

    @Test
    void statesTheSameLimitsAsTheLimitsClass() throws IOException {
        JsonNode common = schema("common.v1.json").get("$defs");
        JsonNode metrics = schema("run.metrics.v1.json").at("/properties/data/properties/metrics");

        assertThat(common.at("/key/maxLength").intValue()).isEqualTo(Limits.MAX_KEY_LENGTH);
        assertThat(common.at("/params/additionalProperties/maxLength").intValue())
                .isEqualTo(Limits.MAX_PARAM_VALUE_LENGTH);
        assertThat(common.at("/tags/additionalProperties/maxLength").intValue()).isEqualTo(Limits.MAX_TAG_VALUE_LENGTH);
        assertThat(metrics.get("maxItems").intValue()).isEqualTo(Limits.MAX_METRIC_POINTS);
    }

    private static JsonNode schema(String name) throws IOException {
        return JSON.readTree(Examples.resource("labjournal/schemas/" + name).toFile());
    }

    /** @return the JSON Pointers of members of {@code properties} objects that have no {@code description} */
    private static List<String> undocumentedProperties(JsonNode node, String pointer) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String child = pointer + "/" + field.getKey();
            if (field.getKey().equals("properties")) {
                for (Map.Entry<String, JsonNode> property : field.getValue().properties()) {
                    if (!property.getValue().has("description")) {
                        missing.add(child + "/" + property.getKey());
                    }
                }
            }
            if (field.getValue().isContainerNode()) {
                missing.addAll(undocumentedProperties(field.getValue(), child));
            }
        }
        return missing;
    }
}
