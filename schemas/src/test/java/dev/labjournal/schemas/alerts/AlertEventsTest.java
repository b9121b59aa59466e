package dev.labjournal.schemas.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.schemas.DocumentValidator;
import dev.labjournal.schemas.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertEventsTest {
    private static final DocumentValidator VALIDATOR = AlertEvents.validator();
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"metric-regression.json", "run-failed-diverged.json"})
    void theExamplesAreValidFiredAlerts(String file) throws IOException {
        ValidationResult result = VALIDATOR.validate(example(file));

        assertThat(result.errors()).isEmpty();
        assertThat(result.event().get("type").textValue()).isEqualTo(AlertEvents.TYPE);
        assertThat(result.event().get("id")).isEqualTo(result.event().at("/data/id"));
        assertThat(result.event().get("subject")).isEqualTo(result.event().at("/data/run_id"));
    }

    @Test
    void anEventOfAnotherTypeOrWithoutItsRunIsRejectedWithThePath() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(example("metric-regression.json"));
        event.put("type", "dev.labjournal.alert.fired.v2");
        ((ObjectNode) event.get("data")).remove("run_id");

        ValidationResult result = VALIDATOR.validate(JSON.writeValueAsBytes(event));

        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).anySatisfy(error -> assertThat(error.path()).isEqualTo("$.type"));
        assertThat(result.errors()).anySatisfy(error -> assertThat(error.path()).isEqualTo("$.data.run_id"));
    }

    @Test
    void aMetricValueIsANumberOrOneOfTheThreeSpelledIeeeValues() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(example("metric-regression.json"));
        ((ObjectNode) event.get("data")).put("observed", "nan");

        ValidationResult result = VALIDATOR.validate(JSON.writeValueAsBytes(event));

        assertThat(result.errors()).anySatisfy(error -> assertThat(error.path()).isEqualTo("$.data.observed"));
    }

    @Test
    void theSourceNamesTheTenantAndTheRule() {
        assertThat(AlertEvents.source("acme", "rule_7f3a9c")).isEqualTo("/tenants/acme/alert-rules/rule_7f3a9c");
    }

    private static byte[] example(String file) throws IOException {
        try (InputStream in = AlertEventsTest.class.getResourceAsStream("/labjournal/examples/alerts/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        }
    }
}
