package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.e2e.AlertFixtures.Channel;
import dev.labjournal.e2e.AlertFixtures.Fired;
import dev.labjournal.e2e.AlertFixtures.Rule;
import dev.labjournal.e2e.SseClient.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/alerts/stream: events carry the per-tenant sequence number as id and the alert document as data, new
 * alerts are pushed as they are stored, a reconnection with Last-Event-ID (header or query parameter) resumes with no
 * loss and no repeats, idle streams get heartbeat comments, and bad input is a 400.
 */
class AlertStreamIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(20);

    @Test
    void aClientThatReconnectsWithLastEventIdGetsEveryAlertOnceInOrder() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-sse");
        Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.sse());
        List<Fired> fired = new ArrayList<>();
        List<Event> seen = new ArrayList<>();
        try (SseClient stream = SseClient.open(Platform.QUERY_URL, null, tenant.readKey(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            for (int i = 0; i < 3; i++) {
                fired.add(AlertFixtures.fire(rule, "run-sse-" + i, 0.5 + i / 100.0));
            }
            seen.addAll(stream.nextAlerts(2, ARRIVAL));
        }
        for (int i = 3; i < 6; i++) {
            fired.add(AlertFixtures.fire(rule, "run-sse-" + i, 0.5 + i / 100.0));
        }
        try (SseClient resumed = SseClient.open(
                Platform.QUERY_URL, null, tenant.readKey(), seen.get(1).id())) {
            seen.addAll(resumed.nextAlerts(4, ARRIVAL));
            fired.add(AlertFixtures.fire(rule, "run-sse-6", 0.57));
            seen.add(resumed.nextAlert(ARRIVAL));
            assertThat(resumed.alertsWithin(Duration.ofSeconds(2)))
                    .as("no repeats")
                    .isEmpty();
        }

        assertThat(seen).hasSize(fired.size());
        for (int i = 0; i < fired.size(); i++) {
            Event event = seen.get(i);
            assertThat(event.event()).isEqualTo("alert");
            assertThat(Long.parseLong(event.id())).isEqualTo(fired.get(i).seq());
            assertThat(Platform.JSON.readTree(event.data()))
                    .isEqualTo(fired.get(i).document());
        }
    }

    @Test
    void theQueryParameterResumesTooAndFiltersSelectByRuleAndKind() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-sse-param");
        Rule first = AlertFixtures.rule(tenant.id(), "imagenet", Channel.sse());
        Rule second = AlertFixtures.rule(tenant.id(), "cifar", Channel.sse());
        Fired a = AlertFixtures.fire(first, "run-a", 0.5);
        Fired b = AlertFixtures.fire(second, "run-b", 0.5);
        Fired c = AlertFixtures.fire(first, "run-c", 0.5);

        try (SseClient all = SseClient.open(Platform.QUERY_URL, "last_event_id=0", tenant.readKey(), null)) {
            assertThat(all.nextAlerts(3, ARRIVAL)).extracting(Event::id).containsExactly(ids(a, b, c));
        }
        try (SseClient byRule = SseClient.open(
                Platform.QUERY_URL,
                "last_event_id=0&rule_id=" + first.id() + "&kind=metric_regression",
                tenant.readKey(),
                null)) {
            assertThat(byRule.nextAlerts(2, ARRIVAL)).extracting(Event::id).containsExactly(ids(a, c));
            assertThat(byRule.alertsWithin(Duration.ofSeconds(2))).isEmpty();
        }
        try (SseClient byKind =
                SseClient.open(Platform.QUERY_URL, "last_event_id=0&kind=run_failed", tenant.readKey(), null)) {
            assertThat(byKind.alertsWithin(Duration.ofSeconds(2))).isEmpty();
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-sse-idle");
        try (SseClient stream = SseClient.open(Platform.QUERY_URL, null, tenant.readKey(), null)) {
            assertThat(stream.nextComment(Duration.ofSeconds(20)).comment()).isEqualTo("keep-alive");
            assertThat(stream.nextComment(Duration.ofSeconds(20)).comment())
                    .as("and again, every 15 s")
                    .isEqualTo("keep-alive");
        }
    }

    @Test
    void badInputIsA400AndAKeyIsNeeded() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-sse-bad");
        Platform.Reply badId =
                Platform.get(Platform.QUERY_URL + "/api/v1/alerts/stream?last_event_id=abc", tenant.readKey());
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().at("/error/code").asText()).isEqualTo("invalid_last_event_id");
        assertThat(badId.body().at("/error/details/param").asText()).isEqualTo("last_event_id");
        Platform.Reply badKind = Platform.get(Platform.QUERY_URL + "/api/v1/alerts/stream?kind=nope", tenant.readKey());
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.body().at("/error/code").asText()).isEqualTo("invalid_kind");
        try (SseClient noKey = SseClient.open(Platform.QUERY_URL, null, "lj_nope", null)) {
            assertThat(noKey.status()).isEqualTo(401);
        }
        try (SseClient ingestKey = SseClient.open(Platform.QUERY_URL, null, tenant.ingestKey(), null)) {
            assertThat(ingestKey.status()).isEqualTo(403);
        }
    }

    private static String[] ids(Fired... fired) {
        String[] ids = new String[fired.length];
        for (int i = 0; i < fired.length; i++) {
            ids[i] = Long.toString(fired[i].seq());
        }
        return ids;
    }

    static JsonNode document(Event event) throws Exception {
        return Platform.JSON.readTree(event.data());
    }
}
