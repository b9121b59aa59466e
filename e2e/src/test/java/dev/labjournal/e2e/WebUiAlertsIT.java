package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The alerts page in headless Chromium: log in, create a rule through the form (an invalid one first: the API's reason
 * under the field its JSON path names), test-fire it (the outcome of each channel), publish a failing run and see its
 * alert arrive in the live list (the SSE stream read with fetch) without a reload, redeliver it, and delete the rule
 * with the keyboard. A second tenant's key sees none of the first tenant's rules or alerts, live or listed.
 */
class WebUiAlertsIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    private static TestTenant a;
    private static TestTenant b;
    private static String aWriter;
    private static String bWriter;
    private static Browser browser;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void tenantsAndABrowser() throws Exception {
        a = TestTenant.create("webui-alerts-a");
        b = TestTenant.create("webui-alerts-b");
        aWriter = a.issueKey("alerts", "read").secret();
        bWriter = b.issueKey("alerts", "read").secret();
        receiver = new WebhookReceiver();
        browser = new Browser(1280, 900);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The text of the first element the selector finds, "" when none: read in one script (parts are re-rendered). */
    private static String text(String css) {
        return (String)
                browser.script("const n = document.querySelector(arguments[0]); return n ? n.textContent : ''", css);
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(String css) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll(arguments[0])].map(n => n.dataset.alertId || n.dataset.ruleId)",
                css);
    }

    /** The page at {@code hash} with no key in the tab, whichever test ran before. */
    private static void loggedOutAt(String hash) {
        browser.open(hash);
        browser.script("sessionStorage.clear()");
        browser.driver.navigate().refresh();
    }

    private static void awaitLive() {
        browser.await(d -> "live".equals(browser.present("#alerts-live-state").getDomAttribute("data-state")));
    }

    private static void failRun(TestTenant tenant, String project, String runId) throws Exception {
        Platform.Reply reply = Events.postBatch(
                tenant.ingestKey(),
                Events.started(tenant.id(), project, runId, "resnet " + runId),
                Events.failed(
                        tenant.id(),
                        project,
                        runId,
                        "torch.cuda.OutOfMemoryError",
                        "Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n"
                                + "torch.cuda.OutOfMemoryError: CUDA out of memory\n"));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(202);
    }

    @Test
    void createTestFireSeeAnAlertArriveLiveThenDeleteAndAnotherTenantSeesNone() throws Exception {
        String project = "webui-alerts-" + UUID.randomUUID().toString().substring(0, 8);
        loggedOutAt("#/alerts");
        browser.logIn(aWriter);
        browser.visible("#rule-form");
        awaitLive();
        browser.await(d -> text("#rules-status").contains("No rules yet"));

        // An invalid rule first: the webhook URL is ftp, so the API answers 400 with details.path $.channels[0].url.
        browser.visible("#rf-name").sendKeys("failures of " + project);
        browser.driver.findElement(By.id("rf-project")).sendKeys(project);
        new Select(browser.driver.findElement(By.id("rf-kind"))).selectByValue("run_failed");
        assertThat(browser.driver.findElement(By.id("rf-metric")).isDisplayed())
                .as("metric fields only for metric_regression")
                .isFalse();
        new Select(browser.driver.findElement(By.id("rf-channel-0-type"))).selectByValue("webhook");
        WebElement url = browser.visible("#rf-channel-0-url");
        url.sendKeys("ftp://example.com/hook");
        browser.driver.findElement(By.id("rf-submit")).click();
        browser.await(d -> !text("#rf-channel-0-url-error").isBlank());
        assertThat(text("#rf-channel-0-url-error")).contains("http");
        assertThat(url.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver.switchTo().activeElement())
                .as("focus on the field at fault")
                .isEqualTo(url);
        assertThat(browser.driver.findElement(By.id("rf-channel-0-url")).getDomAttribute("aria-describedby"))
                .contains("rf-channel-0-url-error");
        assertThat(text("#rf-name-error")).isEmpty();
        assertThat(text("#rf-error")).isEmpty();
        assertThat(ids("#rules-body tr.rule")).as("nothing created").isEmpty();
        browser.screenshot("alerts-invalid");

        // Corrected, with a second channel (sse) added by keyboard.
        url.clear();
        url.sendKeys(receiver.url());
        browser.driver.findElement(By.id("rf-add-channel")).sendKeys(Keys.ENTER);
        new Select(browser.visible("#rf-channel-1-type")).selectByValue("sse");
        browser.driver.findElement(By.id("rf-submit")).click();
        browser.await(d -> ids("#rules-body tr.rule").size() == 1);
        String ruleId = ids("#rules-body tr.rule").get(0);
        assertThat(text("#rf-channel-0-url-error")).isEmpty();
        Platform.Reply stored = Platform.get(Platform.QUERY_URL + "/api/v1/alert-rules/" + ruleId, a.readKey());
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().get("name").asText()).isEqualTo("failures of " + project);
        assertThat(stored.body().get("project").asText()).isEqualTo(project);
        assertThat(stored.body().get("kind").asText()).isEqualTo("run_failed");
        assertThat(stored.body().get("channels").toString())
                .isEqualTo("[{\"type\":\"webhook\",\"url\":\"" + receiver.url() + "\"},{\"type\":\"sse\"}]");
        String secret = text("tr.rule .secret code");
        assertThat(secret).as("the signing secret, shown once").startsWith("whsec_");

        // Test-fire: the webhook gets a test alert; the page shows each channel's outcome.
        WebElement row = browser.present("tr.rule[data-rule-id='" + ruleId + "']");
        row.findElement(By.cssSelector("button.test")).click();
        browser.await(d -> ((Long) browser.script(
                        "return document.querySelectorAll(arguments[0]).length", "#outcome-" + ruleId + " li.outcome"))
                == 2);
        assertThat(browser.present("#outcome-" + ruleId + " li[data-position='0']")
                        .getDomAttribute("data-outcome"))
                .isEqualTo("delivered");
        assertThat(text("#outcome-" + ruleId + " li[data-position='0']")).contains("HTTP 200");
        assertThat(browser.present("#outcome-" + ruleId + " li[data-position='1']")
                        .getDomAttribute("data-outcome"))
                .isEqualTo("skipped");
        assertThat(receiver.received()).hasSize(1);
        JsonNode testAlert = Platform.JSON.readTree(receiver.received().get(0).body());
        assertThat(testAlert.get("test").asBoolean()).isTrue();
        assertThat(testAlert.get("rule_id").asText()).isEqualTo(ruleId);
        assertThat(text("#outcome-" + ruleId)).contains(testAlert.get("id").asText());

        // A failing run fires the rule: its alert arrives in the live list, the page never reloaded.
        browser.script("window.__sameDocument = true");
        String run = "run-" + UUID.randomUUID().toString().substring(0, 8);
        String expected = AlertFixtures.alertId(ruleId, run, "run_failed");
        failRun(a, project, run);
        await().atMost(ARRIVAL)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids("#alerts-live li.live-alert").contains(expected));
        assertThat(browser.script("return window.__sameDocument"))
                .as("no reload")
                .isEqualTo(true);
        assertThat(ids("#alerts-live li.live-alert")).containsExactly(expected);
        assertThat(text("#alerts-live li.live-alert")).contains("run_failed", "failures of " + project, run);
        assertThat(text("#alerts-live li.live-alert")).contains("torch.cuda.OutOfMemoryError");

        // The recent alerts with their delivery on the webhook, and redelivery.
        await().atMost(ARRIVAL).until(() -> receiver.receivedFor(expected).size() == 1);
        await().atMost(ARRIVAL).until(() -> {
            browser.driver.findElement(By.id("alerts-refresh")).click();
            browser.await(d -> text("#alerts-status").isEmpty());
            return "delivered"
                    .equals(browser.script(
                            "const d = document.querySelector(arguments[0]); return d && d.dataset.status",
                            "#alerts-recent li[data-alert-id='" + expected + "'] li.delivery"));
        });
        assertThat(ids("#alerts-recent li.recent-alert")).containsExactly(expected);
        browser.present("#alerts-recent li[data-alert-id='" + expected + "'] button.redeliver")
                .click();
        browser.await(d -> text("#alerts-recent li[data-alert-id='" + expected + "'] .redeliver-message")
                .contains("Queued again"));
        await().atMost(ARRIVAL).until(() -> receiver.receivedFor(expected).size() == 2);
        browser.fullPageScreenshot("alerts");
        browser.resize(390, 844);
        assertThat((Long) browser.script("return document.documentElement.scrollWidth"))
                .as("no sideways scrolling at 390 px")
                .isLessThanOrEqualTo(390L);
        browser.fullPageScreenshot("alerts-390");
        browser.resize(1280, 900);

        // Tenant B, with a rule of its own: none of A's rules or alerts, live or listed.
        String bProject = "webui-alerts-b-" + UUID.randomUUID().toString().substring(0, 8);
        String bRuleId = AlertRules.create(
                        bWriter,
                        "{\"name\": \"b failures\", \"project\": \"" + bProject + "\", \"kind\": \"run_failed\","
                                + " \"channels\": [{\"type\": \"sse\"}]}")
                .get("id")
                .asText();
        browser.driver.findElement(By.id("logout")).click();
        browser.logIn(bWriter);
        browser.visible("#rule-form");
        awaitLive();
        browser.await(d -> text("#alerts-status").equals("No alerts yet."));
        browser.await(d -> !ids("#rules-body tr.rule").isEmpty());
        assertThat(ids("#rules-body tr.rule")).containsExactly(bRuleId);
        assertThat(text("#rules-body")).doesNotContain(ruleId, project);
        String aRun = "run-" + UUID.randomUUID().toString().substring(0, 8);
        failRun(a, project, aRun);
        String aSecond = AlertFixtures.alertId(ruleId, aRun, "run_failed");
        await().atMost(ARRIVAL).until(() -> receiver.receivedFor(aSecond).size() == 1);
        String bRun = "run-" + UUID.randomUUID().toString().substring(0, 8);
        String bAlert = AlertFixtures.alertId(bRuleId, bRun, "run_failed");
        failRun(b, bProject, bRun);
        await().atMost(ARRIVAL)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids("#alerts-live li.live-alert").contains(bAlert));
        assertThat(ids("#alerts-live li.live-alert"))
                .as("A's alert, stored before B's, never reached B's page")
                .containsExactly(bAlert);
        browser.driver.findElement(By.id("alerts-refresh")).click();
        browser.await(d -> ids("#alerts-recent li.recent-alert").size() == 1);
        assertThat(ids("#alerts-recent li.recent-alert")).containsExactly(bAlert);

        // Back as A: delete the rule with the keyboard (Delete, then Yes, focused).
        browser.driver.findElement(By.id("logout")).click();
        browser.logIn(aWriter);
        browser.visible("#rule-form");
        browser.await(d -> ids("#rules-body tr.rule").size() == 1);
        WebElement delete = browser.present("tr.rule[data-rule-id='" + ruleId + "'] button.delete");
        delete.sendKeys(Keys.ENTER);
        WebElement yes = browser.visible("tr.rule[data-rule-id='" + ruleId + "'] button.confirm-delete");
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(yes);
        yes.sendKeys(Keys.ESCAPE);
        browser.await(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr.rule[data-rule-id='" + ruleId + "'] button.delete")));
        assertThat(ids("#rules-body tr.rule")).as("Escape cancels").containsExactly(ruleId);
        browser.present("tr.rule[data-rule-id='" + ruleId + "'] button.delete").sendKeys(Keys.ENTER);
        browser.visible("tr.rule[data-rule-id='" + ruleId + "'] button.confirm-delete")
                .sendKeys(Keys.ENTER);
        browser.await(d -> ids("#rules-body tr.rule").isEmpty());
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/alert-rules/" + ruleId, a.readKey())
                        .status())
                .isEqualTo(404);
        browser.await(d -> ids("#alerts-recent li.recent-alert").size() == 2);
        assertThat(ids("#alerts-recent li.recent-alert"))
                .as("its alerts stay readable")
                .containsExactly(aSecond, expected);
    }

    /**
     * The page's stream reader (sse.js) after a drop: with a silence limit shorter than the heartbeat it drops the
     * connection itself; alerts stored while it is away arrive after it reconnects, because it sends Last-Event-ID
     * (a stream opened without one would start with the next alert and miss them), each once and in order.
     */
    @Test
    void theStreamReaderResumesAfterADropWithLastEventIdMissingAndRepeatingNothing() throws Exception {
        TestTenant c = TestTenant.create("webui-alerts-c");
        AlertFixtures.Rule rule = AlertFixtures.rule(c.id(), "resume", AlertFixtures.Channel.sse());
        loggedOutAt("#/search");
        browser.logIn(c.readKey());
        browser.script("window.__frames = []; window.__states = [];"
                + " import('/ui/js/sse.js').then(({ EventStream }) => { window.__stream = new EventStream({"
                + " url: '/api/v1/alerts/stream', key: sessionStorage.getItem('labjournal.apiKey'),"
                + " onEvent: (f) => window.__frames.push(f.id), onState: (s) => window.__states.push(s),"
                + " onUnauthenticated: () => window.__states.push('unauthenticated'),"
                + " retryMs: 4000, silenceMs: 3000 }).start(); })");
        browser.await(d -> lastState().equals("live"));

        AlertFixtures.Fired first = AlertFixtures.fire(rule, "run-resume-1", 0.5);
        await().atMost(ARRIVAL).until(() -> frames().equals(List.of(Long.toString(first.seq()))));
        await().atMost(ARRIVAL)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> lastState().equals("reconnecting"));
        AlertFixtures.Fired second = AlertFixtures.fire(rule, "run-resume-2", 0.51);
        AlertFixtures.Fired third = AlertFixtures.fire(rule, "run-resume-3", 0.52);
        assertThat(lastState()).as("both stored while the reader was away").isEqualTo("reconnecting");

        List<String> expected =
                List.of(Long.toString(first.seq()), Long.toString(second.seq()), Long.toString(third.seq()));
        await().atMost(ARRIVAL).until(() -> frames().size() >= 3);
        assertThat(frames()).isEqualTo(expected);
        AlertFixtures.Fired fourth = AlertFixtures.fire(rule, "run-resume-4", 0.53);
        await().atMost(ARRIVAL).until(() -> frames().size() >= 4);
        assertThat(frames())
                .as("each once, in order")
                .containsExactly(expected.get(0), expected.get(1), expected.get(2), Long.toString(fourth.seq()));
        browser.script("window.__stream.stop()");
    }

    @SuppressWarnings("unchecked")
    private static List<String> frames() {
        return (List<String>) browser.script("return [...(window.__frames || [])]");
    }

    private static String lastState() {
        Object state = browser.script("const s = window.__states || []; return s.length ? s[s.length - 1] : ''");
        return String.valueOf(state);
    }
}
