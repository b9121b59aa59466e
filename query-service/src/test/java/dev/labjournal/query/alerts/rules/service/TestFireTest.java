package dev.labjournal.query.alerts.rules.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.query.alerts.delivery.kafka.AlertCloudEvents;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.RuleDocuments;
import dev.labjournal.schemas.alerts.AlertEvents;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TestFireTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static AlertRule rule(String body) throws Exception {
        return RuleDocuments.parse(JSON.readTree(body)).stored("rule_0a1b", OffsetDateTime.now());
    }

    @Test
    void theTestAlertIsMarkedAndHasTheShapeOfTheRulesAlertsOnKafka() throws Exception {
        AlertRule rule = rule("{\"name\": \"val_loss regressed\", \"project\": \"imagenet\","
                + " \"kind\": \"metric_regression\", \"metric\": \"val_loss\", \"goal\": \"minimize\","
                + " \"baseline\": {\"type\": \"best\"}, \"channels\": [{\"type\": \"kafka\"}]}");
        Instant at = Instant.parse("2026-12-01T10:00:00Z");

        JsonObject alert = TestFire.document(rule, at);

        assertThat(alert.getBoolean("test")).isTrue();
        assertThat(alert.getString("id")).matches("alrt_[0-9a-f]{24}");
        assertThat(alert.getString("rule_id")).isEqualTo("rule_0a1b");
        assertThat(alert.getString("rule_name")).isEqualTo("val_loss regressed");
        assertThat(alert.getString("kind")).isEqualTo("metric_regression");
        assertThat(alert.getString("metric")).isEqualTo("val_loss");
        assertThat(alert.getString("run_id")).isEqualTo(TestFire.TEST_RUN);
        assertThat(alert.getString("time")).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(alert.getValue("observed")).isNull();
        assertThat(alert.fieldNames())
                .contains("project", "run_name", "baseline", "baseline_run_ids", "delta", "relative_delta", "step")
                .contains("links", "failure", "duplicates");
        assertThat(AlertEvents.validator()
                        .validate(AlertCloudEvents.of("acme", rule.id(), TestFire.TEST_RUN, alert)
                                .encode()
                                .getBytes(StandardCharsets.UTF_8))
                        .errors())
                .isEmpty();
    }

    @Test
    void everyTestAlertHasAnIdOfItsOwn() throws Exception {
        AlertRule rule = rule("{\"name\": \"failures\", \"project\": \"imagenet\", \"kind\": \"run_failed\","
                + " \"channels\": [{\"type\": \"sse\"}]}");

        JsonObject first = TestFire.document(rule, Instant.now());
        JsonObject second = TestFire.document(rule, Instant.now());

        assertThat(first.getString("id")).isNotEqualTo(second.getString("id"));
        assertThat(first.getValue("metric")).isNull();
    }
}
