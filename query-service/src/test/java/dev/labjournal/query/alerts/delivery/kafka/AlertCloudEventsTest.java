package dev.labjournal.query.alerts.delivery.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.schemas.ValidationResult;
import dev.labjournal.schemas.alerts.AlertEvents;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AlertCloudEventsTest {

    @Test
    void wrapsTheDocumentInAnEventTheSchemaAccepts() {
        JsonObject document = new JsonObject()
                .put("id", "alrt_0123456789abcdef01234567")
                .put("rule_id", "rule_1")
                .put("kind", "metric_regression")
                .put("run_id", "run-3")
                .put("observed", "NaN")
                .put("time", "2026-01-01T00:00:00Z")
                .put("links", new JsonObject().put("run", "/api/v1/runs/run-3"));

        JsonObject event = AlertCloudEvents.of("acme", "rule_1", "run-3", document);
        ValidationResult result =
                AlertEvents.validator().validate(event.encode().getBytes(StandardCharsets.UTF_8));

        assertThat(result.errors()).isEmpty();
        assertThat(event.getString("id")).isEqualTo("alrt_0123456789abcdef01234567");
        assertThat(event.getString("subject")).isEqualTo("run-3");
        assertThat(event.getJsonObject("data")).isEqualTo(document);
    }
}
