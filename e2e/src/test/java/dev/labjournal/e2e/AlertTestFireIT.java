package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.e2e.AlertTopicListener.Read;
import dev.labjournal.schemas.alerts.AlertEvents;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/alert-rules/{id}/test: a synthetic alert marked {@code "test": true} goes once through each webhook
 * and Kafka channel of the rule (signed; as a CloudEvent), each channel's outcome is answered (delivered, failed with
 * the reason, skipped for SSE), and nothing is stored as an alert. Another tenant's rule is a 404 and sends nothing;
 * a key without the alerts scope is a 403.
 */
class AlertTestFireIT {

    private static final String RULES = AlertRules.URL;

    private static String rule(String webhookUrl, String deadUrl) {
        return "{\"name\": \"fail watch\", \"project\": \"testfire\", \"kind\": \"run_failed\", \"channels\": ["
                + "{\"type\": \"webhook\", \"url\": \"" + webhookUrl + "\"}, {\"type\": \"webhook\", \"url\": \""
                + deadUrl + "\"}, {\"type\": \"sse\"}, {\"type\": \"kafka\"}]}";
    }

    /** A URL on a port nothing listens on: the connection is refused. */
    private static String deadUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
        }
    }

    private static long storedAlerts(String tenant) throws Exception {
        try (Connection conn = Database.connect();
                PreparedStatement st = conn.prepareStatement("SELECT count(*) FROM alerts WHERE tenant_id = ?")) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aTestAlertGoesThroughEveryChannelWithItsOutcomeAndIsNotStored() throws Exception {
        TestTenant tenant = TestTenant.create("testfire");
        String writer = tenant.issueKey("alerts", "read").secret();
        try (WebhookReceiver receiver = new WebhookReceiver();
                AlertTopicListener topic = AlertTopicListener.start()) {
            JsonNode created = AlertRules.create(writer, rule(receiver.url(), deadUrl()));
            String ruleId = created.get("id").asText();
            String secret = created.get("channels").get(0).get("secret").asText();

            Platform.Reply fired = Platform.post(RULES + "/" + ruleId + "/test", writer, "application/json", "");

            assertThat(fired.status()).as("%s", fired.body()).isEqualTo(200);
            JsonNode alert = fired.body().get("alert");
            String alertId = alert.get("id").asText();
            assertThat(fired.body().get("rule_id").asText()).isEqualTo(ruleId);
            assertThat(alert.get("test").asBoolean()).isTrue();
            assertThat(alertId).matches("alrt_[0-9a-f]{24}");
            assertThat(alert.get("rule_id").asText()).isEqualTo(ruleId);
            assertThat(alert.get("rule_name").asText()).isEqualTo("fail watch");
            assertThat(alert.get("kind").asText()).isEqualTo("run_failed");
            assertThat(alert.get("project").asText()).isEqualTo("testfire");

            JsonNode channels = fired.body().get("channels");
            assertThat(channels).hasSize(4);
            JsonNode hook = channels.get(0);
            assertThat(hook.get("type").asText()).isEqualTo("webhook");
            assertThat(hook.get("outcome").asText()).as("%s", hook).isEqualTo("delivered");
            assertThat(hook.get("status_code").asInt()).isEqualTo(200);
            assertThat(hook.get("error").isNull()).isTrue();
            JsonNode dead = channels.get(1);
            assertThat(dead.get("outcome").asText()).as("%s", dead).isEqualTo("failed");
            assertThat(dead.get("status_code").isNull()).isTrue();
            assertThat(dead.get("error").asText()).isNotBlank();
            assertThat(channels.get(2).get("type").asText()).isEqualTo("sse");
            assertThat(channels.get(2).get("outcome").asText()).isEqualTo("skipped");
            assertThat(channels.get(2).get("error").asText()).isNotBlank();
            JsonNode kafka = channels.get(3);
            assertThat(kafka.get("outcome").asText()).as("%s", kafka).isEqualTo("delivered");

            List<WebhookReceiver.Received> received = receiver.received();
            assertThat(received).hasSize(1);
            WebhookReceiver.Received request = received.get(0);
            assertThat(request.id()).isEqualTo(alertId);
            assertThat(request.signature())
                    .as("signed with the rule's secret like a real alert")
                    .isEqualTo(AlertDeliveryIT.sign(secret, request.id(), request.timestamp(), request.body()));
            assertThat(Platform.JSON.readTree(request.body())).isEqualTo(alert);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> topic.keyed(alert.get("run_id").asText()).stream()
                            .anyMatch(
                                    r -> alertId.equals(cloudEvent(r).get("id").asText())));
            Read read = topic.keyed(alert.get("run_id").asText()).stream()
                    .filter(r -> alertId.equals(cloudEvent(r).get("id").asText()))
                    .findFirst()
                    .orElseThrow();
            JsonNode event = cloudEvent(read);
            assertThat(AlertEvents.validator().validate(read.record().value()).errors())
                    .as("the test alert is a valid alert.fired.v1 event")
                    .isEmpty();
            assertThat(event.get("tenant").asText()).isEqualTo(tenant.id());
            assertThat(event.get("data")).isEqualTo(alert);

            assertThat(storedAlerts(tenant.id())).as("no alert stored").isZero();
            Platform.Reply listed = Platform.get(Platform.QUERY_URL + "/api/v1/alerts", tenant.readKey());
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body().get("alerts")).isEmpty();
        }
    }

    @Test
    void anotherTenantsRuleIsA404AndSendsNothing() throws Exception {
        TestTenant a = TestTenant.create("testfire-a");
        TestTenant b = TestTenant.create("testfire-b");
        String aWriter = a.issueKey("alerts", "read").secret();
        String bWriter = b.issueKey("alerts", "read").secret();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String ruleId = AlertRules.create(aWriter, rule(receiver.url(), deadUrl()))
                    .get("id")
                    .asText();

            Platform.Reply foreign = Platform.post(RULES + "/" + ruleId + "/test", bWriter, "application/json", "");
            assertThat(foreign.status()).as("%s", foreign.body()).isEqualTo(404);
            assertThat(foreign.body().get("error").get("code").asText()).isEqualTo("not_found");
            Platform.Reply unknown = Platform.post(RULES + "/rule_nosuchrule/test", aWriter, "application/json", "");
            assertThat(unknown.status()).isEqualTo(404);
            Platform.Reply readOnly =
                    Platform.post(RULES + "/" + ruleId + "/test", a.readKey(), "application/json", "");
            assertThat(readOnly.status())
                    .as("the read scope does not test-fire")
                    .isEqualTo(403);
            assertThat(receiver.received())
                    .as("nothing was sent for B or a reader")
                    .isEmpty();

            Platform.Reply deleted = Platform.delete(RULES + "/" + ruleId, aWriter);
            assertThat(deleted.status()).isEqualTo(204);
            Platform.Reply afterDelete = Platform.post(RULES + "/" + ruleId + "/test", aWriter, "application/json", "");
            assertThat(afterDelete.status()).as("a deleted rule is a 404").isEqualTo(404);
            assertThat(receiver.received()).isEmpty();
        }
    }

    private static JsonNode cloudEvent(Read read) {
        try {
            return Platform.JSON.readTree(read.record().value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
