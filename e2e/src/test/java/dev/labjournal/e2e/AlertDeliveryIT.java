package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.e2e.AlertFixtures.Channel;
import dev.labjournal.e2e.AlertFixtures.Fired;
import dev.labjournal.e2e.AlertFixtures.Rule;
import dev.labjournal.e2e.WebhookReceiver.Answer;
import dev.labjournal.e2e.WebhookReceiver.Received;
import dev.labjournal.schemas.Topics;
import dev.labjournal.schemas.ValidationResult;
import dev.labjournal.schemas.alerts.AlertEvents;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Stored alerts delivered by webhook (Standard Webhooks signature checked here with the secret, retries until a 2xx
 * with the same webhook-id, Retry-After, 410 Gone) and Kafka (a CloudEvent valid against alert.fired.v1.json), with
 * every attempt listed by GET /api/v1/alerts, and redelivery. The signature and retry test goes the whole way: a
 * run_failed rule made with POST /api/v1/alert-rules (its secret from the 201) and a run that fails over HTTP ingest;
 * the others start from {@link AlertFixtures}' stored alerts, which make the receiver's script the only variable.
 */
class AlertDeliveryIT {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @Test
    void aWebhookAnswering500ThreeTimesThen200GetsTheAlertSignedWithOneIdAndEveryAttemptIsListed() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-webhook");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.answer(r -> Answer.status(calls.incrementAndGet() <= 3 ? 500 : 200));
            Rule rule = runFailedRule(tenant, "imagenet", Channel.webhook(receiver.url()), Channel.sse());
            Fired fired = failRun(tenant, rule, "imagenet", "resnet50-run-3");
            assertThat(fired.document().get("kind").asText()).isEqualTo("run_failed");
            assertThat(fired.document().at("/failure/type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");

            await().atMost(DELIVERY).until(() -> receiver.received().size() >= 4);
            List<Received> requests = receiver.receivedFor(fired.id());
            assertThat(requests).hasSize(4);
            for (Received request : requests) {
                assertThat(request.id()).isEqualTo(fired.id());
                assertThat(request.signature())
                        .as("signature over id.timestamp.body with the rule's secret")
                        .isEqualTo(sign(rule.secret(), request.id(), request.timestamp(), request.body()));
                assertThat(Math.abs(Long.parseLong(request.timestamp())
                                - request.at().getEpochSecond()))
                        .as("webhook-timestamp is the attempt's time, in epoch seconds")
                        .isLessThanOrEqualTo(5);
                JsonNode body = Platform.JSON.readTree(request.body());
                assertThat(body).isEqualTo(fired.document());
            }

            JsonNode alert = awaitDelivery(tenant, rule, fired, "delivered");
            JsonNode delivery = alert.at("/deliveries/0");
            assertThat(delivery.get("channel_type").asText()).isEqualTo("webhook");
            assertThat(delivery.get("position").asInt()).isZero();
            assertThat(delivery.get("url").asText()).isEqualTo(receiver.url());
            assertThat(alert.get("deliveries"))
                    .as("the SSE channel has no delivery row")
                    .hasSize(1);
            List<Integer> codes = new ArrayList<>();
            delivery.get("attempts").forEach(a -> codes.add(a.get("status_code").asInt()));
            assertThat(codes).containsExactly(500, 500, 500, 200);
            for (int i = 0; i < 4; i++) {
                JsonNode attempt = delivery.get("attempts").get(i);
                assertThat(attempt.get("attempt").asInt()).isEqualTo(i + 1);
                assertThat(Instant.parse(attempt.get("attempted_at").asText()))
                        .isCloseTo(
                                requests.get(i).at(),
                                org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.SECONDS));
                assertThat(attempt.get("error").isNull()).isEqualTo(i == 3);
            }
            assertThat(alert.get("alert")).isEqualTo(fired.document());

            Platform.Reply one = Platform.get(Platform.QUERY_URL + "/api/v1/alerts/" + fired.id(), tenant.readKey());
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.body().get("deliveries")).isEqualTo(alert.get("deliveries"));
        }
    }

    @Test
    void aRetryAfterIsWaitedFor() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-retry-after");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            AtomicInteger calls = new AtomicInteger();
            receiver.answer(r ->
                    calls.incrementAndGet() == 1 ? new Answer(503, Map.of("Retry-After", "4")) : Answer.status(204));
            Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.webhook(receiver.url()));
            Fired fired = AlertFixtures.fire(rule, "run-retry-after", 0.5);

            awaitDelivery(tenant, rule, fired, "delivered");
            List<Received> requests = receiver.receivedFor(fired.id());
            assertThat(requests).hasSize(2);
            assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                    .as("the second attempt waited the 4 s the receiver asked for")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(3_900));
        }
    }

    @Test
    void a410DisablesTheChannelAndLaterAlertsAreNotSentToIt() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-gone");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(r -> Answer.status(410));
            Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.webhook(receiver.url()));
            Fired first = AlertFixtures.fire(rule, "run-gone-1", 0.5);

            JsonNode alert = awaitDelivery(tenant, rule, first, "disabled");
            assertThat(alert.at("/deliveries/0/attempts")).hasSize(1);
            assertThat(alert.at("/deliveries/0/attempts/0/status_code").asInt()).isEqualTo(410);
            assertThat(alert.at("/deliveries/0/channel_disabled_reason").asText())
                    .contains("410");
            try (Connection conn = Database.connect();
                    PreparedStatement st = conn.prepareStatement(
                            "SELECT disabled_at IS NOT NULL FROM alert_channels WHERE tenant_id = ? AND rule_id = ?")) {
                st.setString(1, tenant.id());
                st.setString(2, rule.id());
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(1)).as("the channel is disabled").isTrue();
                }
            }

            Fired second = AlertFixtures.fire(rule, "run-gone-2", 0.6);
            JsonNode later = listed(tenant, rule).stream()
                    .filter(a -> a.get("id").asText().equals(second.id()))
                    .findFirst()
                    .orElseThrow();
            assertThat(later.get("deliveries"))
                    .as("no delivery to a disabled channel")
                    .isEmpty();
            assertThat(receiver.received()).hasSize(1);
        }
    }

    @Test
    void aRedeliveryRequestedWithAnAdminKeySendsTheSameAlertAgain() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-redeliver");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.webhook(receiver.url()));
            Fired fired = AlertFixtures.fire(rule, "run-redeliver", 0.5);
            awaitDelivery(tenant, rule, fired, "delivered");

            String url = Platform.QUERY_URL + "/api/v1/alerts/" + fired.id() + "/redeliver";
            assertThat(Platform.post(url, tenant.readKey(), "application/json", "")
                            .status())
                    .as("a read key may not redeliver")
                    .isEqualTo(403);
            String admin = tenant.issueKey("admin").secret();
            Platform.Reply redelivered = Platform.post(url, admin, "application/json", "");
            assertThat(redelivered.status()).as("%s", redelivered.body()).isEqualTo(202);
            assertThat(redelivered.body().at("/deliveries/0/status").asText()).isEqualTo("pending");

            await().atMost(DELIVERY)
                    .until(() -> receiver.receivedFor(fired.id()).size() == 2);
            JsonNode alert = awaitDelivery(tenant, rule, fired, "delivered");
            assertThat(alert.at("/deliveries/0/attempts")).hasSize(2);
            List<Received> requests = receiver.receivedFor(fired.id());
            assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());

            assertThat(Platform.post(
                                    Platform.QUERY_URL + "/api/v1/alerts/alrt_000000000000000000000000/redeliver",
                                    admin,
                                    "application/json",
                                    "")
                            .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void theKafkaChannelPublishesACloudEventKeyedByRunThatTheSchemaAccepts() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-kafka");
        Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.sse(), Channel.kafka());
        String runId = "run-kafka-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            Fired fired = AlertFixtures.fire(rule, runId, 0.47);

            ConsumerRecord<String, byte[]> record = null;
            Instant deadline = Instant.now().plus(DELIVERY);
            while (record == null && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (runId.equals(r.key())) {
                        record = r;
                    }
                }
            }
            assertThat(record)
                    .as("a record keyed by the run id on %s", Topics.ALERTS)
                    .isNotNull();
            ValidationResult result = AlertEvents.validator().validate(record.value());
            assertThat(result.errors()).isEmpty();
            JsonNode event = result.event();
            assertThat(event.get("type").asText()).isEqualTo(AlertEvents.TYPE);
            assertThat(event.get("id").asText()).isEqualTo(fired.id());
            assertThat(event.get("subject").asText()).isEqualTo(runId);
            assertThat(event.get("tenant").asText()).isEqualTo(tenant.id());
            assertThat(event.get("source").asText()).isEqualTo("/tenants/" + tenant.id() + "/alert-rules/" + rule.id());
            assertThat(event.get("data")).isEqualTo(fired.document());
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .isEqualTo(AlertEvents.CONTENT_TYPE);

            JsonNode alert = awaitDelivery(tenant, rule, fired, "delivered");
            assertThat(alert.at("/deliveries/0/channel_type").asText()).isEqualTo("kafka");
            assertThat(alert.at("/deliveries/0/position").asInt()).isEqualTo(1);
        }
    }

    /** A run_failed rule of the tenant's project with these channels, made by POST /api/v1/alert-rules. */
    private static Rule runFailedRule(TestTenant tenant, String project, Channel... channels) throws Exception {
        String name = "a run failed in " + project;
        ObjectNode body = Platform.JSON
                .createObjectNode()
                .put("name", name)
                .put("project", project)
                .put("kind", "run_failed");
        ArrayNode list = body.putArray("channels");
        for (Channel channel : channels) {
            ObjectNode c = list.addObject().put("type", channel.type());
            if (channel.url() != null) {
                c.put("url", channel.url());
            }
        }
        JsonNode created = AlertRules.create(tenant.issueKey("alerts").secret(), body.toString());
        JsonNode secret = created.at("/channels/0/secret");
        return new Rule(
                tenant.id(),
                created.get("id").asText(),
                name,
                secret.isMissingNode() ? null : secret.asText(),
                List.of(channels));
    }

    /** A run that starts and fails over HTTP ingest, and the alert the rule fired for it (from GET /api/v1/alerts). */
    private static Fired failRun(TestTenant tenant, Rule rule, String project, String runId) throws Exception {
        Platform.Reply ingested = Events.postBatch(
                tenant.ingestKey(),
                Events.started(tenant.id(), project, runId, runId),
                Events.failed(
                        tenant.id(),
                        project,
                        runId,
                        "torch.cuda.OutOfMemoryError",
                        "torch.cuda.OutOfMemoryError: CUDA out of memory\n  at train.step(train.py:42)"));
        assertThat(ingested.status()).as("ingest: %s", ingested.body()).isEqualTo(202);
        JsonNode[] found = new JsonNode[1];
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode alert : listed(tenant, rule)) {
                if (alert.at("/alert/run_id").asText().equals(runId)) {
                    found[0] = alert;
                    return true;
                }
            }
            return false;
        });
        return new Fired(
                found[0].get("id").asText(), found[0].get("seq").asLong(), runId, (ObjectNode) found[0].get("alert"));
    }

    /** The alert as GET /api/v1/alerts?rule_id= lists it, once its first delivery has {@code status}. */
    static JsonNode awaitDelivery(TestTenant tenant, Rule rule, Fired fired, String status) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode alert : listed(tenant, rule)) {
                if (alert.get("id").asText().equals(fired.id())
                        && alert.at("/deliveries/0/status").asText().equals(status)) {
                    found[0] = alert;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static List<JsonNode> listed(TestTenant tenant, Rule rule) throws Exception {
        Platform.Reply reply =
                Platform.get(Platform.QUERY_URL + "/api/v1/alerts?rule_id=" + rule.id(), tenant.readKey());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        List<JsonNode> alerts = new ArrayList<>();
        reply.body().get("alerts").forEach(alerts::add);
        return alerts;
    }

    /** The Standard Webhooks signature, computed here independently of the service. */
    static String sign(String secret, String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] signed = mac.doFinal((id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(signed);
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
