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
 * The tenant wall of alerts: tenant B, which has rules and alerts of its own, never sees tenant A's alerts, by list,
 * by filter, by id (404, as for a run), by stream or by redelivery; and sequence numbers are per tenant.
 */
class AlertTenancyIT {

    @Test
    void tenantBSeesOnlyItsOwnAlertsByListFilterIdAndStream() throws Exception {
        TestTenant a = TestTenant.create("alerts-wall-a");
        TestTenant b = TestTenant.create("alerts-wall-b");
        Rule ruleA = AlertFixtures.rule(a.id(), "imagenet", Channel.sse());
        Rule ruleB = AlertFixtures.rule(b.id(), "imagenet", Channel.sse());

        try (SseClient streamB = SseClient.open(Platform.QUERY_URL, "last_event_id=0", b.readKey(), null)) {
            Fired a1 = AlertFixtures.fire(ruleA, "shared-run-name", 0.5);
            Fired b1 = AlertFixtures.fire(ruleB, "shared-run-name", 0.6);
            Fired a2 = AlertFixtures.fire(ruleA, "only-in-a", 0.7);
            Fired b2 = AlertFixtures.fire(ruleB, "only-in-b", 0.8);
            assertThat(a1.seq()).isEqualTo(1);
            assertThat(b1.seq()).as("sequence numbers are per tenant").isEqualTo(1);

            List<Event> events = streamB.nextAlerts(2, Duration.ofSeconds(20));
            assertThat(events).extracting(e -> id(e)).containsExactly(b1.id(), b2.id());
            assertThat(streamB.alertsWithin(Duration.ofSeconds(2))).isEmpty();

            assertThat(ids(list(b, ""))).containsExactly(b2.id(), b1.id());
            assertThat(ids(list(a, ""))).containsExactly(a2.id(), a1.id());
            assertThat(ids(list(b, "rule_id=" + ruleA.id()))).isEmpty();
            assertThat(ids(list(b, "run_id=only-in-a"))).isEmpty();
            assertThat(ids(list(b, "run_id=shared-run-name"))).containsExactly(b1.id());

            Platform.Reply foreign = Platform.get(Platform.QUERY_URL + "/api/v1/alerts/" + a1.id(), b.readKey());
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(foreign.body().at("/error/code").asText()).isEqualTo("not_found");
            assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/alerts/" + a1.id(), a.readKey())
                            .status())
                    .isEqualTo(200);
            String adminB = b.issueKey("admin").secret();
            assertThat(Platform.post(
                                    Platform.QUERY_URL + "/api/v1/alerts/" + a1.id() + "/redeliver",
                                    adminB,
                                    "application/json",
                                    "")
                            .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void theListPagesNewestFirstAndRejectsBadParameters() throws Exception {
        TestTenant tenant = TestTenant.create("alerts-pages");
        Rule rule = AlertFixtures.rule(tenant.id(), "imagenet", Channel.sse());
        List<String> fired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fired.add(0, AlertFixtures.fire(rule, "run-page-" + i, 0.5).id());
        }
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = list(tenant, "limit=2" + (token == null ? "" : "&page_token=" + token));
            paged.addAll(ids(page));
            token = page.get("next_page_token").isNull()
                    ? null
                    : page.get("next_page_token").asText();
        } while (token != null);
        assertThat(paged).isEqualTo(fired);

        for (String bad : List.of("limit=0", "limit=201", "page_token=nonsense", "kind=regression")) {
            Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/alerts?" + bad, tenant.readKey());
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.body().at("/error/details/param").asText()).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/alerts", tenant.ingestKey())
                        .status())
                .isEqualTo(403);
    }

    private static JsonNode list(TestTenant tenant, String query) throws Exception {
        Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/alerts?" + query, tenant.readKey());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return reply.body();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("alerts").forEach(alert -> ids.add(alert.get("id").asText()));
        return ids;
    }

    private static String id(Event event) {
        try {
            return Platform.JSON.readTree(event.data()).get("id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
