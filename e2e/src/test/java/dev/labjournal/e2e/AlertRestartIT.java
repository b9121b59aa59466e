package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.e2e.AlertFixtures.Channel;
import dev.labjournal.e2e.AlertFixtures.Fired;
import dev.labjournal.e2e.AlertFixtures.Rule;
import dev.labjournal.e2e.SseClient.Event;
import dev.labjournal.e2e.WebhookReceiver.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * query-service killed (kill -9) while alerts wait for delivery, and alerts stored while it is down: once {@code
 * deploy/local/labjournal up} brought it back, every alert is delivered to the webhook, and an SSE client that
 * reconnects with its Last-Event-ID gets exactly the alerts it had not seen; the restarted instance takes back the
 * partitions its killed self held (a run stored after the restart is searchable, and both consumer groups of
 * run-changes catch up). Only query-service is stopped.
 */
class AlertRestartIT {

    private static final Duration RECOVERY = Duration.ofMinutes(3);
    private static final String RUN_CHANGES = "labjournal.run-changes";

    @Test
    void noAlertIsLostWhenQueryServiceIsKilledWithDeliveriesPending() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-restart");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(r -> Answer.status(503));
            Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.webhook(receiver.url()), Channel.sse());
            List<Fired> fired = new ArrayList<>();
            String lastSeen;
            try (SseClient stream = SseClient.open(Platform.QUERY_URL, "last_event_id=0", tenant.readKey(), null)) {
                for (int i = 0; i < 3; i++) {
                    fired.add(AlertFixtures.fire(rule, "run-restart-" + i, 0.5));
                }
                List<Event> before = stream.nextAlerts(3, Duration.ofSeconds(20));
                lastSeen = before.get(2).id();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> fired.stream()
                                .allMatch(f -> !receiver.receivedFor(f.id()).isEmpty()));

                LocalStack.kill9("query-service");
                for (int i = 3; i < 5; i++) {
                    fired.add(AlertFixtures.fire(rule, "run-restart-" + i, 0.5));
                }
                receiver.answer(r -> Answer.status(200));
            } finally {
                LocalStack.run("up");
            }

            await().atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> AlertDeliveryIT.listed(tenant, rule).stream()
                                    .filter(a -> a.at("/deliveries/0/status")
                                            .asText()
                                            .equals("delivered"))
                                    .count()
                            == fired.size());
            for (Fired f : fired) {
                assertThat(receiver.receivedFor(f.id()))
                        .as("alert %s reached the webhook", f.id())
                        .isNotEmpty();
                JsonNode body = Platform.JSON.readTree(
                        receiver.receivedFor(f.id()).get(0).body());
                assertThat(body).isEqualTo(f.document());
            }

            try (SseClient resumed = SseClient.open(Platform.QUERY_URL, null, tenant.readKey(), lastSeen)) {
                List<Event> after = resumed.nextAlerts(2, Duration.ofSeconds(20));
                assertThat(after)
                        .extracting(Event::id)
                        .containsExactly(
                                Long.toString(fired.get(3).seq()),
                                Long.toString(fired.get(4).seq()));
                assertThat(resumed.alertsWithin(Duration.ofSeconds(2))).isEmpty();
            }
        }
        assertIndexingResumed(tenant);
    }

    private static void assertIndexingResumed(TestTenant tenant) throws Exception {
        String runId = "run-after-restart";
        String word = "afterrestart" + tenant.id().replace("-", "");
        Platform.Reply reply = Events.postBatch(
                tenant.ingestKey(), Events.started(tenant.id(), "imagenet", runId, "stored after the restart " + word));
        assertThat(reply.status()).as("ingest: %s", reply.body()).isEqualTo(202);
        Searching.awaitHit(tenant.readKey(), word, runId, RECOVERY);
        await().atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ConsumerLag.of(ConsumerLag.INDEXER_GROUP, RUN_CHANGES) == 0
                        && ConsumerLag.of(ConsumerLag.ALERTS_GROUP, RUN_CHANGES) == 0);
    }
}
