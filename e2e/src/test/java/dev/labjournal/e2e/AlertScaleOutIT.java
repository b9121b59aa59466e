package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.labjournal.e2e.AlertFixtures.Channel;
import dev.labjournal.e2e.AlertFixtures.Fired;
import dev.labjournal.e2e.AlertFixtures.Rule;
import dev.labjournal.e2e.SseClient.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two query-service instances (the second started by {@code LJ_QUERY_PORT_2=... deploy/local/labjournal up}): every
 * alert reaches the webhook once, both instances' delivery workers claiming from the same outbox, and an SSE client
 * of either instance receives every alert.
 */
class AlertScaleOutIT {

    private static final int ALERTS = 30;

    @Test
    void eachAlertIsDeliveredOnceAndStreamedByBothInstances() throws Exception {
        String secondPort = Platform.env(
                "LJ_QUERY_PORT_2", Integer.toString(Integer.parseInt(Platform.env("LJ_QUERY_PORT", "8080")) + 10));
        String secondUrl = "http://127.0.0.1:" + secondPort;
        TestTenant tenant = TestTenant.create("alerts-scale");
        LocalStack.runWith(Map.of("LJ_QUERY_PORT_2", secondPort), "up");
        try (WebhookReceiver receiver = new WebhookReceiver();
                SseClient first = SseClient.open(Platform.QUERY_URL, null, tenant.readKey(), null);
                SseClient second = SseClient.open(secondUrl, null, tenant.readKey(), null)) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.webhook(receiver.url()), Channel.sse());
            List<Fired> fired = new ArrayList<>();
            for (int i = 0; i < ALERTS; i++) {
                fired.add(AlertFixtures.fire(rule, "run-scale-" + i, 0.5));
            }

            List<String> expected =
                    fired.stream().map(f -> Long.toString(f.seq())).toList();
            assertThat(first.nextAlerts(ALERTS, Duration.ofSeconds(30)))
                    .extracting(Event::id)
                    .containsExactlyElementsOf(expected);
            assertThat(second.nextAlerts(ALERTS, Duration.ofSeconds(30)))
                    .extracting(Event::id)
                    .containsExactlyElementsOf(expected);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> AlertDeliveryIT.listed(tenant, rule).stream()
                                    .filter(a -> a.at("/deliveries/0/status")
                                            .asText()
                                            .equals("delivered"))
                                    .count()
                            == ALERTS);
            Map<String, Integer> perAlert = new TreeMap<>();
            receiver.received().forEach(r -> perAlert.merge(r.id(), 1, Integer::sum));
            assertThat(perAlert).hasSize(ALERTS);
            assertThat(perAlert.values())
                    .as("each alert reached the webhook once")
                    .containsOnly(1);
        } finally {
            LocalStack.run("down", "query-service-2");
        }
    }
}
