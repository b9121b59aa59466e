package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules API: validation by JSON path and reason, the scopes it needs, a webhook secret shown once, paging, and
 * the tenant wall (tenant B, with rules of its own, sees nothing of tenant A's by list or id and cannot delete them).
 */
class AlertRulesIT {

    private static final String URL = Platform.QUERY_URL + "/api/v1/alert-rules";

    private static TestTenant a;
    private static TestTenant b;
    private static String aWriter;
    private static String bWriter;

    private static final String VALID = "{\"name\": \"val_loss regressed\", \"project\": \"imagenet\","
            + " \"kind\": \"metric_regression\", \"metric\": \"val_loss\", \"goal\": \"minimize\","
            + " \"baseline\": {\"type\": \"best\"}, \"tolerance\": {\"relative\": 0.05}, \"evaluate\": \"on_finish\","
            + " \"channels\": [{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:9999/hook\"}, {\"type\": \"sse\"},"
            + " {\"type\": \"kafka\"}]}";

    @BeforeAll
    static void tenants() throws Exception {
        Platform.ensureUp();
        a = TestTenant.create("rules-a");
        b = TestTenant.create("rules-b");
        aWriter = a.issueKey("alerts", "read").secret();
        bWriter = b.issueKey("alerts", "read").secret();
    }

    private static Platform.Reply create(String key, String body) throws Exception {
        return Platform.post(URL, key, "application/json", body);
    }

    @Test
    void aValidRuleIsCreatedWithItsIdAndAWebhookSecretShownOnce() throws Exception {
        Platform.Reply created = create(aWriter, VALID);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        JsonNode rule = created.body();
        assertThat(rule.get("id").asText()).startsWith("rule_");
        assertThat(rule.get("kind").asText()).isEqualTo("metric_regression");
        assertThat(rule.get("tolerance").get("relative").asDouble()).isEqualTo(0.05);
        assertThat(rule.get("baseline").get("type").asText()).isEqualTo("best");
        String secret = rule.get("channels").get(0).get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                .hasSize(24);
        assertThat(rule.get("channels").get(1).has("secret"))
                .as("sse has no secret")
                .isFalse();

        Platform.Reply read = Platform.get(URL + "/" + rule.get("id").asText(), a.readKey());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("name").asText()).isEqualTo("val_loss regressed");
        assertThat(read.body().get("channels").get(0).has("secret"))
                .as("the secret is shown once")
                .isFalse();
        assertThat(read.body().get("channels").get(0).get("url").asText()).isEqualTo("http://127.0.0.1:9999/hook");
        try (var conn = Database.connect();
                var st =
                        conn.prepareStatement("SELECT secret FROM alert_channels WHERE rule_id = ? AND position = 0")) {
            st.setString(1, rule.get("id").asText());
            try (var rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the secret is stored").isEqualTo(secret);
            }
        }
    }

    @Test
    void everyFieldIsValidatedWithItsPathAndReason() throws Exception {
        record Case(String body, String code, String path) {}
        List<Case> cases = List.of(
                new Case("[1]", "invalid_rule", "$"),
                new Case(VALID.replace("\"name\": \"val_loss regressed\", ", ""), "invalid_rule", "$.name"),
                new Case(VALID.replace("\"project\": \"imagenet\",", ""), "invalid_rule", "$.project"),
                new Case(
                        VALID.replace("\"project\": \"imagenet\"", "\"filter\": \"metrics.loss >\""),
                        "invalid_filter",
                        "$.filter"),
                new Case(VALID.replace("metric_regression", "metric_regresion"), "invalid_rule", "$.kind"),
                new Case(VALID.replace("\"metric\": \"val_loss\", ", ""), "invalid_rule", "$.metric"),
                new Case(VALID.replace("minimize", "smaller"), "invalid_rule", "$.goal"),
                new Case(
                        VALID.replace("{\"type\": \"best\"}", "{\"type\": \"mean_of_last\"}"),
                        "invalid_rule",
                        "$.baseline.n"),
                new Case(
                        VALID.replace("{\"type\": \"best\"}", "{\"type\": \"mean_of_last\", \"n\": 0}"),
                        "invalid_rule",
                        "$.baseline.n"),
                new Case(
                        VALID.replace("{\"type\": \"best\"}", "{\"type\": \"run\"}"),
                        "invalid_rule",
                        "$.baseline.run_id"),
                new Case(
                        VALID.replace("{\"type\": \"best\"}", "{\"type\": \"threshold\", \"value\": \"x\"}"),
                        "invalid_rule",
                        "$.baseline.value"),
                new Case(
                        VALID.replace("{\"type\": \"best\"}", "{\"type\": \"best\", \"n\": 3}"),
                        "invalid_rule",
                        "$.baseline.n"),
                new Case(
                        VALID.replace("{\"type\": \"best\"}", "{\"type\": \"worst\"}"),
                        "invalid_rule",
                        "$.baseline.type"),
                new Case(
                        VALID.replace("{\"relative\": 0.05}", "{\"relative\": -0.05}"),
                        "invalid_rule",
                        "$.tolerance.relative"),
                new Case(
                        VALID.replace("{\"relative\": 0.05}", "{\"relative\": 0.05, \"absolute\": 1}"),
                        "invalid_rule",
                        "$.tolerance"),
                new Case(VALID.replace("\"on_finish\"", "\"hourly\""), "invalid_rule", "$.evaluate"),
                new Case(
                        VALID.replace("\"on_finish\"", "\"on_finish\", \"min_step\": 10"),
                        "invalid_rule",
                        "$.min_step"),
                new Case(VALID.replace("\"on_finish\"", "\"live\", \"min_step\": -1"), "invalid_rule", "$.min_step"),
                new Case(
                        VALID.replace("http://127.0.0.1:9999/hook", "ftp://example.com/hook"),
                        "invalid_rule",
                        "$.channels[0].url"),
                new Case(VALID.replace("http://127.0.0.1:9999/hook", "not a url"), "invalid_rule", "$.channels[0].url"),
                new Case(
                        VALID.replace("{\"type\": \"sse\"}", "{\"type\": \"email\"}"),
                        "invalid_rule",
                        "$.channels[1].type"),
                new Case(
                        VALID.replace("{\"type\": \"sse\"}", "{\"type\": \"sse\", \"url\": \"http://x\"}"),
                        "invalid_rule",
                        "$.channels[1].url"),
                new Case(
                        VALID.substring(0, VALID.indexOf("\"channels\"")) + "\"channels\": []}",
                        "invalid_rule",
                        "$.channels"),
                new Case(
                        "{\"name\": \"f\", \"project\": \"p\", \"kind\": \"run_failed\", \"metric\": \"loss\","
                                + " \"channels\": [{\"type\": \"sse\"}]}",
                        "invalid_rule",
                        "$.metric"),
                new Case(VALID.replace("\"name\"", "\"colour\": \"red\", \"name\""), "invalid_rule", "$.colour"));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Platform.Reply reply = create(aWriter, c.body());
            JsonNode error = reply.body() == null ? null : reply.body().get("error");
            if (reply.status() != 400
                    || error == null
                    || !c.code().equals(error.get("code").asText())
                    || !c.path().equals(error.get("details").get("path").asText())) {
                failures.add(c.path() + " -> " + reply.status() + " " + reply.body());
            }
        }
        assertThat(failures)
                .as("cases answered otherwise than 400 with the path")
                .isEmpty();
        Platform.Reply badFilter =
                create(aWriter, VALID.replace("\"project\": \"imagenet\"", "\"filter\": \"metrics.loss >\""));
        assertThat(badFilter.body().get("error").get("details").get("column").asInt())
                .as("the filter's column")
                .isEqualTo(15);
    }

    @Test
    void writingNeedsTheAlertsOrAdminScopeAndReadingTheReadScope() throws Exception {
        assertThat(create(a.readKey(), VALID).status()).as("read only").isEqualTo(403);
        assertThat(create(a.ingestKey(), VALID).status()).as("ingest only").isEqualTo(403);
        String admin = a.issueKey("admin").secret();
        assertThat(create(admin, VALID).status()).as("admin").isEqualTo(201);
        String alertsOnly = a.issueKey("alerts").secret();
        Platform.Reply created = create(alertsOnly, VALID);
        assertThat(created.status()).as("alerts").isEqualTo(201);
        assertThat(Platform.get(URL, alertsOnly).status())
                .as("listing needs read")
                .isEqualTo(403);
        assertThat(Platform.delete(URL + "/" + created.body().get("id").asText(), a.readKey())
                        .status())
                .as("deleting needs alerts")
                .isEqualTo(403);
    }

    @Test
    void tenantBSeesNothingOfTenantAsRulesAndCannotDeleteThem() throws Exception {
        String aRule = create(aWriter, VALID).body().get("id").asText();
        String bRule = create(bWriter, VALID).body().get("id").asText();

        assertThat(Platform.get(URL + "/" + aRule, b.readKey()).status()).isEqualTo(404);
        assertThat(Platform.delete(URL + "/" + aRule, bWriter).status()).isEqualTo(404);
        assertThat(ids(b.readKey())).contains(bRule).doesNotContain(aRule);
        assertThat(ids(a.readKey())).contains(aRule).doesNotContain(bRule);
        assertThat(Platform.get(URL + "/" + aRule, a.readKey()).status())
                .as("B's delete left A's rule")
                .isEqualTo(200);

        assertThat(Platform.delete(URL + "/" + aRule, aWriter).status()).isEqualTo(204);
        assertThat(Platform.get(URL + "/" + aRule, a.readKey()).status()).isEqualTo(404);
        assertThat(ids(a.readKey())).doesNotContain(aRule);
        assertThat(Platform.delete(URL + "/" + aRule, aWriter).status())
                .as("deleted once")
                .isEqualTo(404);
    }

    @Test
    void rulesArePagedOldestFirst() throws Exception {
        TestTenant c = TestTenant.create("rules-c");
        String writer = c.issueKey("alerts").secret();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(create(writer, VALID).body().get("id").asText());
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Platform.Reply page =
                    Platform.get(URL + "?limit=2" + (token == null ? "" : "&page_token=" + token), c.readKey());
            assertThat(page.status()).isEqualTo(200);
            page.body().get("rules").forEach(r -> listed.add(r.get("id").asText()));
            token = page.body().get("next_page_token").isNull()
                    ? null
                    : page.body().get("next_page_token").asText();
            pages++;
        } while (token != null && pages < 10);
        assertThat(listed).isEqualTo(made);
        assertThat(Platform.get(URL + "?limit=0", c.readKey()).status()).isEqualTo(400);
        assertThat(Platform.get(URL + "?page_token=bm9wZQ", c.readKey()).status())
                .isEqualTo(400);
    }

    private static List<String> ids(String key) throws Exception {
        List<String> ids = new ArrayList<>();
        Platform.Reply reply = Platform.get(URL + "?limit=200", key);
        assertThat(reply.status()).isEqualTo(200);
        reply.body().get("rules").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
