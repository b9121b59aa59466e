package dev.labjournal.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.labjournal.schemas.alerts.AlertEvents;
import dev.labjournal.schemas.changes.RunChangeCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AsyncApiTest {
    private static final Path DOCUMENT = Examples.resource("labjournal/asyncapi.yaml");
    private static JsonNode asyncApi;

    @BeforeAll
    static void read() throws IOException {
        asyncApi = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    @Test
    void isAnAsyncApi3DocumentOfExactlyTheFourTopicsThatExist() {
        assertThat(asyncApi.get("asyncapi").textValue()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        asyncApi.get("channels")
                .forEach(channel -> addresses.add(channel.get("address").textValue()));

        assertThat(addresses)
                .containsExactlyInAnyOrder(Topics.RUN_EVENTS, Topics.RUN_EVENTS_DLQ, Topics.RUN_CHANGES, Topics.ALERTS);
    }

    @Test
    void everyOperationUsesAChannelOfTheDocument() {
        for (JsonNode operation : asyncApi.get("operations")) {
            JsonNode channel = resolve(operation.at("/channel/$ref").textValue());

            assertThat(channel.isMissingNode()).as(operation.toString()).isFalse();
        }
    }

    @Test
    void runChangesCarryTheRunChangesSchemaAndExamplesThatTheCodecReads() throws IOException {
        JsonNode channelMessages = asyncApi.at("/channels/runChanges/messages");
        assertThat(channelMessages.size()).isEqualTo(1);
        JsonNode message = resolve(channelMessages.elements().next().get("$ref").textValue());

        assertThat(message.at("/payload/schema/$ref").textValue()).isEqualTo("./schemas/" + RunChangeCodec.SCHEMA_FILE);
        assertThat(message.get("examples")).isNotEmpty();
        for (JsonNode example : message.get("examples")) {
            byte[] payload = new ObjectMapper().writeValueAsBytes(example.get("payload"));
            assertThat(RunChangeCodec.fromJson(payload).version()).isPositive();
        }
    }

    @Test
    void alertsCarryTheFiredAlertSchema() {
        JsonNode channelMessages = asyncApi.at("/channels/alerts/messages");
        assertThat(channelMessages.size()).isEqualTo(1);
        JsonNode message = resolve(channelMessages.elements().next().get("$ref").textValue());

        assertThat(message.get("name").textValue()).isEqualTo(AlertEvents.TYPE);
        assertThat(message.at("/payload/schema/$ref").textValue()).isEqualTo("./schemas/" + AlertEvents.SCHEMA_FILE);
    }

    @Test
    void runEventsCarryEveryTypeWithItsSchema() {
        List<String> names = new ArrayList<>();
        for (JsonNode reference : asyncApi.at("/channels/runEvents/messages")) {
            JsonNode message = resolve(reference.get("$ref").textValue());
            names.add(message.get("name").textValue());
            String schema = message.at("/payload/schema/$ref").textValue();
            assertThat(schema)
                    .isEqualTo("./schemas/"
                            + SchemaCatalog.schemaId(message.get("name").textValue())
                                    .substring(SchemaCatalog.ID_PREFIX.length()));
        }

        assertThat(names).containsExactlyElementsOf(EventTypes.ALL);
    }

    @Test
    void everyFileReferenceExists() {
        List<String> missing = new ArrayList<>();
        collectFileReferences(asyncApi).stream()
                .filter(reference -> !Files.isRegularFile(DOCUMENT.resolveSibling(reference)))
                .forEach(missing::add);

        assertThat(missing).isEmpty();
    }

    @Test
    void deadLettersDeclareTheErrorAndSourceHeaders() {
        assertThat(asyncApi.at("/components/schemas/DeadLetterHeaders/required"))
                .extracting(JsonNode::textValue)
                .containsExactly(
                        "lj-error-code",
                        "lj-error-path",
                        "lj-error-reason",
                        "lj-source-topic",
                        "lj-source-partition",
                        "lj-source-offset");
        assertThat(asyncApi.at("/components/schemas/DeadLetterHeaders/properties")
                        .has("lj-truncated-from-bytes"))
                .isTrue();
    }

    private static JsonNode resolve(String localReference) {
        return asyncApi.at(localReference.substring(1));
    }

    private static List<String> collectFileReferences(JsonNode node) {
        List<String> references = new ArrayList<>();
        JsonNode reference = node.get("$ref");
        if (reference != null && !reference.textValue().startsWith("#")) {
            references.add(reference.textValue());
        }
        node.forEach(child -> references.addAll(collectFileReferences(child)));
        return references;
    }
}
