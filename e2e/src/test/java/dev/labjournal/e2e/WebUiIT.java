package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web UI in headless Chromium against the running platform: log in, search a failure by words of its stack
 * trace, open the run (its chart and stack trace), follow a similar failure; facets, filter errors at their column
 * and shareable URLs; and runs whose names, tags, notes, params and stack traces carry HTML and script payloads,
 * which the browser must show as text and never run. Screenshots of each page go to e2e/target/screenshots/.
 */
class WebUiIT {

    private static final String PROJECT = "webui";
    /** A word only this test's stack traces hold, so a search for it finds exactly this test's failures. */
    private static final String TOKEN =
            "shardmerge" + UUID.randomUUID().toString().substring(0, 8);

    private static final String XSS_TOKEN =
            "xssprobe" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OOM_VISION = "oom-vision-" + UUID.randomUUID();
    private static final String OOM_NLP = "oom-nlp-" + UUID.randomUUID();
    private static final String HOSTILE = "hostile-" + UUID.randomUUID();
    private static final String PAGED_TOKEN =
            "pagedrun" + UUID.randomUUID().toString().substring(0, 8);
    /** More runs than one page of the UI (25), so the list needs the cursor. */
    private static final int PAGED_RUNS = 32;

    private static final int LOSS_POINTS = 3000;
    private static final int FAILURE_STEP = 2400;

    /** Each payload, if it ever ran, would set window.__pwned or the document's title. */
    private static final String NAME = "<img src=x onerror=\"window.__pwned='name';document.title='pwned'\">";

    private static final String TAG_SCRIPT = "<script>window.__pwned='tag';document.title='pwned'</script>";
    private static final String TAG_IMG = "<img src=x onerror=window.__pwned='tag'>";
    private static final String NOTE = "<script>window.__pwned='note';document.title='pwned'</script> " + XSS_TOKEN;
    private static final String PARAM = "\"><svg onload=window.__pwned='param'>";
    private static final String TRACE = "Traceback (most recent call last):\n"
            + "  File \"/work/app/<img src=x onerror=window.__pwned='frame'>.py\", line 3, in <module>\n"
            + "    run(\"<script>window.__pwned='code'</script>\")\n"
            + "ValueError: " + XSS_TOKEN + " <script>window.__pwned='trace';document.title='pwned'</script>"
            + " &amp; <b>bold</b>\n";

    private static TestTenant tenant;
    private static Browser browser;

    @BeforeAll
    static void runsAndABrowser() throws Exception {
        tenant = TestTenant.create("webui");
        Platform.Reply reply = Events.postBatch(
                tenant.ingestKey(),
                started(OOM_VISION, "resnet50 sharded", "vision"),
                loss(OOM_VISION),
                failed(OOM_VISION, "/home/ada/vision", "2.00"),
                started(OOM_NLP, "bert sharded", "nlp"),
                failed(OOM_NLP, "/workspace/nlp", "11.47"),
                hostileStart(),
                Events.note(tenant.id(), PROJECT, HOSTILE, NOTE),
                hostileFailure());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(202);
        ObjectNode[] paged = new ObjectNode[PAGED_RUNS];
        for (int i = 0; i < PAGED_RUNS; i++) {
            paged[i] = Events.started(tenant.id(), PROJECT, "paged-" + i + "-" + PAGED_TOKEN, PAGED_TOKEN + " " + i);
        }
        Platform.Reply pagedReply = Events.postBatch(tenant.ingestKey(), paged);
        assertThat(pagedReply.status()).as("%s", pagedReply.body()).isEqualTo(202);
        Searching.awaitHit(tenant.readKey(), TOKEN, OOM_VISION);
        Searching.awaitHit(tenant.readKey(), TOKEN, OOM_NLP);
        Searching.awaitHit(tenant.readKey(), XSS_TOKEN, HOSTILE);
        Runs.awaitRun(
                tenant.readKey(),
                OOM_VISION,
                run -> run.get("metrics").size() == 2
                        && run.get("metrics").findValue("count").asLong() >= 1);
        browser = new Browser(1280, 900);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static ObjectNode started(String runId, String name, String team) {
        ObjectNode data = Events.data().put("name", name).put("team", team).put("user", "ada");
        data.putObject("params").put("batch_size", "512").put("shards", "8");
        data.putObject("tags").put("env", "prod");
        data.putObject("source").put("repo", "git@example.com:ml/train.git").put("commit", "abc123");
        return Events.event(tenant.id(), PROJECT, runId, "started", data);
    }

    /** loss over LOSS_POINTS steps (more than the chart asks for, so it comes downsampled) and lr over 10. */
    private static ObjectNode loss(String runId) {
        ObjectNode data = Events.data();
        var points = data.putArray("metrics");
        for (int step = 0; step < LOSS_POINTS; step++) {
            points.addObject()
                    .put("key", "loss")
                    .put("value", 2.0 / (1 + step / 100.0))
                    .put("step", step);
        }
        for (int step = 0; step < 10; step++) {
            points.addObject().put("key", "lr").put("value", 0.1 / (step + 1)).put("step", step * 100);
        }
        return Events.event(tenant.id(), PROJECT, runId, "metrics", data);
    }

    private static ObjectNode failed(String runId, String root, String gib) {
        String lib = "/opt/conda/lib/python3.11/site-packages/torch/nn/modules/";
        String trace = "Traceback (most recent call last):\n"
                + "  File \"" + root + "/train.py\", line 88, in " + TOKEN + "\n    trainer.fit(model)\n"
                + "  File \"" + lib + "module.py\", line 1520, in _call_impl\n    return forward_call(*args)\n"
                + "  File \"" + lib + "conv.py\", line 456, in _conv_forward\n    return F.conv2d(input)\n"
                + "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate " + gib + " GiB.\n";
        ObjectNode data = Events.data().put("status", "failed");
        data.putObject("failure")
                .put("type", "torch.cuda.OutOfMemoryError")
                .put("message", "CUDA out of memory. Tried to allocate " + gib + " GiB.")
                .put("stacktrace", trace)
                .put("step", FAILURE_STEP);
        return Events.event(tenant.id(), PROJECT, runId, "finished", data);
    }

    private static ObjectNode hostileStart() {
        ObjectNode data = Events.data().put("name", NAME).put("team", "red").put("user", "mallory");
        data.putObject("params").put("payload", PARAM);
        data.putObject("tags").put("script", TAG_SCRIPT).put("img", TAG_IMG);
        return Events.event(tenant.id(), PROJECT, HOSTILE, "started", data);
    }

    private static ObjectNode hostileFailure() {
        ObjectNode data = Events.data().put("status", "failed");
        data.putObject("failure")
                .put("type", "ValueError")
                .put("message", "<script>window.__pwned='message'</script>")
                .put("stacktrace", TRACE);
        return Events.event(tenant.id(), PROJECT, HOSTILE, "finished", data);
    }

    private static String searchHash(String q, String filter) {
        String hash = "#/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        return filter == null ? hash : hash + "&filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private static void logInAt(String hash) {
        browser.open(hash);
        Object key = browser.script("return sessionStorage.getItem('labjournal.apiKey')");
        if (key == null) {
            browser.logIn(tenant.readKey());
        }
    }

    /** The run ids of the result rows, read in one script (rows are replaced while a search renders). */
    @SuppressWarnings("unchecked")
    private static List<String> resultIds() {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#results-body tr.run')].map(row => row.dataset.runId)");
    }

    private static void awaitResults(List<String> ids) {
        browser.await(d -> resultIds().size() == ids.size() && resultIds().containsAll(ids));
    }

    private static String textContent(String css) {
        return browser.present(css).getDomProperty("textContent");
    }

    @Test
    void searchAFailureByItsStackTraceOpenItsChartAndTraceThenASimilarFailure() throws Exception {
        browser.open("");
        browser.script("sessionStorage.clear()");
        long started = System.nanoTime();
        browser.open("#/search");
        browser.logIn(tenant.readKey());
        assertThat(browser.script("return document.cookie"))
                .as("no cookie holds the key")
                .isEqualTo("");

        WebElement box = browser.visible("#q");
        box.sendKeys(TOKEN);
        browser.driver.findElement(By.id("search-submit")).click();
        awaitResults(List.of(OOM_VISION, OOM_NLP));
        assertThat(browser.driver.getCurrentUrl())
                .endsWith(searchHash(TOKEN, null))
                .doesNotContain(tenant.readKey());
        List<String> marks = browser.driver.findElements(By.cssSelector("tr.snippets mark")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(marks).as("the API's highlights as <mark>").contains(TOKEN);
        assertThat(browser.visible("#result-summary").getText()).isEqualTo("2 runs");
        assertThat(browser.driver
                        .findElement(By.cssSelector("[data-facet=team] button[data-value=nlp] .count"))
                        .getText())
                .isEqualTo("1");
        browser.screenshot("search");

        browser.driver
                .findElement(By.cssSelector("tr.run[data-run-id='" + OOM_VISION + "'] a.run-link"))
                .click();
        assertThat(browser.visible("#run-name").getText()).isEqualTo("resnet50 sharded");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/runs/" + OOM_VISION);
        WebElement lossChart = browser.present(".chart[data-metric=loss][data-series-count]");
        assertThat(lossChart.findElements(By.tagName("canvas")))
                .as("a uPlot canvas")
                .hasSize(1);
        JsonNode history = Platform.get(
                        Platform.QUERY_URL + "/api/v1/runs/" + OOM_VISION + "/metrics/loss?max_points=2000",
                        tenant.readKey())
                .body();
        assertThat(history.get("downsampled").asBoolean()).isTrue();
        assertThat(lossChart.getAttribute("data-downsampled")).isEqualTo("true");
        assertThat(lossChart.getAttribute("data-series-count"))
                .as("the values, and the band's minimum and maximum")
                .isEqualTo("3");
        assertThat(lossChart.getAttribute("data-points"))
                .isEqualTo(String.valueOf(history.get("points").size()));
        WebElement lrChart = browser.present(".chart[data-metric=lr][data-series-count]");
        assertThat(lrChart.getAttribute("data-series-count")).isEqualTo("1");
        assertThat(lrChart.getAttribute("data-points")).isEqualTo("10");
        assertThat(browser.driver
                        .findElement(By.cssSelector(".chart[data-metric=lr] + div"))
                        .getText())
                .as("lr ends at step 900, before the failure")
                .doesNotContain("failure at step");
        assertThat(browser.driver
                        .findElement(By.cssSelector(".chart[data-metric=loss] + div"))
                        .getText())
                .contains("of " + LOSS_POINTS + " points", "failure at step " + FAILURE_STEP);

        List<WebElement> appFrames = browser.driver.findElements(By.cssSelector(".trace .frame-app"));
        assertThat(appFrames).hasSize(1);
        assertThat(appFrames.get(0).getText()).contains("/home/ada/vision/train.py", TOKEN, "trainer.fit(model)");
        WebElement group = browser.driver.findElement(By.cssSelector(".trace .frame-group details"));
        assertThat(group.getAttribute("open"))
                .as("library frames start collapsed")
                .isNull();
        assertThat(group.findElement(By.tagName("summary")).getText()).isEqualTo("2 library frames");
        group.findElement(By.tagName("summary")).click();
        assertThat(group.findElements(By.cssSelector(".frame-lib")))
                .extracting(WebElement::getText)
                .anySatisfy(text -> assertThat(text).contains("conv.py"));
        assertThat(textContent("#raw-trace")).contains("torch.cuda.OutOfMemoryError: CUDA out of memory");
        browser.fullPageScreenshot("run");

        WebElement similar = browser.visible("#similar-list li[data-run-id='" + OOM_NLP + "'] a");
        similar.click();
        browser.await(ExpectedConditions.textToBe(By.id("run-name"), "bert sharded"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/runs/" + OOM_NLP);
        browser.fullPageScreenshot("similar-failure");
        System.out.printf(
                "WebUiIT: log in, search, run page with chart and trace, similar failure in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The run page's chart options: a log scale, smoothing (the moving average TensorBoard draws, checked against
     * its formula), and zoom by typed steps or by dragging across a chart, which loads the history of those steps
     * again (every point of steps 100 to 400 of the loss published, one per step).
     */
    @Test
    void chartsTakeALogScaleSmoothAndZoomIntoStepsTypedOrDragged() throws Exception {
        logInAt("#/runs/" + OOM_VISION);
        WebElement loss = browser.present(".chart[data-metric=loss][data-series-count]");
        String allPoints = loss.getAttribute("data-points");
        assertThat(loss.getAttribute("data-range")).isEqualTo("all");

        browser.visible("#chart-log").click();
        browser.await(d -> "log".equals(chart("loss").getAttribute("data-scale")));

        browser.visible("#chart-smoothing").sendKeys(Keys.END);
        browser.await(d -> "0.99".equals(chart("loss").getAttribute("data-smoothing")));
        assertThat(chart("loss").getAttribute("data-series-count"))
                .as("values, band minimum and maximum, smoothed")
                .isEqualTo("4");
        double w = 0.5;
        double first = (1 - w) * 1 / (1 - w);
        double second = (w * ((1 - w) * 1) + (1 - w) * 3) / (1 - w * w);
        JsonNode smoothed = Platform.JSON.readTree((String) browser.script(
                "return import('/ui/js/smoothing.js').then(m => JSON.stringify(m.smooth([1, null, 3], 0.5)))"));
        assertThat(smoothed.get(0).asDouble()).isCloseTo(first, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(smoothed.get(1).isNull()).as("a gap stays a gap").isTrue();
        assertThat(smoothed.get(2).asDouble()).isCloseTo(second, org.assertj.core.data.Offset.offset(1e-12));

        WebElement from = browser.visible("#chart-from");
        from.sendKeys("100");
        WebElement to = browser.visible("#chart-to");
        to.sendKeys("400", Keys.ENTER);
        browser.await(d -> "100-400".equals(chart("loss").getAttribute("data-range")));
        WebElement zoomed = chart("loss");
        assertThat(zoomed.getAttribute("data-first-step")).isEqualTo("100");
        assertThat(zoomed.getAttribute("data-last-step")).isEqualTo("400");
        assertThat(zoomed.getAttribute("data-points")).isEqualTo("301");
        assertThat(zoomed.getAttribute("data-downsampled")).isEqualTo("false");
        browser.screenshot("run-chart-zoomed");

        WebElement over = chart("loss").findElement(By.cssSelector(".u-over"));
        int width = over.getSize().getWidth();
        new Actions(browser.driver)
                .moveToElement(over, -width / 4, 0)
                .clickAndHold()
                .moveByOffset(width / 4, 0)
                .release()
                .perform();
        browser.await(d -> {
            String range = chart("loss").getAttribute("data-range");
            return range != null && !range.equals("100-400") && !range.equals("all");
        });
        String[] dragged = chart("loss").getAttribute("data-range").split("-");
        assertThat(Long.parseLong(dragged[0])).isBetween(100L, 400L);
        assertThat(Long.parseLong(dragged[1])).isBetween(Long.parseLong(dragged[0]), 400L);
        assertThat(browser.visible("#chart-from").getDomProperty("value")).isEqualTo(dragged[0]);

        browser.visible("#chart-reset").click();
        browser.await(d -> "all".equals(chart("loss").getAttribute("data-range")));
        assertThat(chart("loss").getAttribute("data-points")).isEqualTo(allPoints);
    }

    /**
     * Chosen columns: typed into the form, kept in the URL, one cell per run with the value the API has (params as
     * published, a metric's last value, a dash for a key the run lacks), sortable by their header.
     */
    @Test
    void chosenColumnsShowEachRunsParamsAndLastMetricValueAndSort() throws Exception {
        logInAt(searchHash(TOKEN, null));
        awaitResults(List.of(OOM_VISION, OOM_NLP));
        browser.visible("#columns").sendKeys("params.shards, metrics.lr, tags.missing", Keys.ENTER);
        browser.await(d -> browser.driver.getCurrentUrl().contains("columns=params.shards"));
        browser.await(d -> browser.driver
                        .findElements(By.cssSelector("tr.run[data-run-id='" + OOM_VISION + "'] td.chosen"))
                        .size()
                == 3);
        String row = "tr.run[data-run-id='" + OOM_VISION + "'] td.chosen";
        assertThat(browser.driver.findElements(By.cssSelector(row)))
                .extracting(cell -> cell.getDomAttribute("data-column") + "=" + cell.getDomProperty("textContent"))
                .containsExactly("params.shards=8", "metrics.lr=0.01", "tags.missing=–");
        browser.visible("button.sort[data-sort='metrics.lr']").click();
        browser.await(d -> browser.driver.getCurrentUrl().contains("sort=metrics.lr"));
        assertThat(browser.driver.getCurrentUrl()).contains("columns=");
    }

    private static WebElement chart(String metric) {
        return browser.present(".chart[data-metric=" + metric + "][data-series-count]");
    }

    @Test
    void facetsFiltersAndSortsAreInTheUrlAndAFilterErrorPointsAtItsColumn() throws Exception {
        logInAt("#/search");
        browser.visible("#q");
        browser.driver.findElement(By.tagName("body")).sendKeys("/");
        assertThat(browser.script("return document.activeElement.id"))
                .as("'/' focuses the search box")
                .isEqualTo("q");
        browser.driver.switchTo().activeElement().sendKeys(TOKEN + Keys.ENTER);
        awaitResults(List.of(OOM_VISION, OOM_NLP));
        browser.driver
                .findElement(By.cssSelector("[data-facet=team] button[data-value=nlp]"))
                .sendKeys(Keys.ENTER);
        awaitResults(List.of(OOM_NLP));
        assertThat(browser.driver.findElement(By.id("filter")).getAttribute("value"))
                .isEqualTo("attributes.team = 'nlp'");
        assertThat(browser.driver.getCurrentUrl()).endsWith(searchHash(TOKEN, "attributes.team = 'nlp'"));
        browser.driver
                .findElement(By.cssSelector("[data-facet=team] button[data-value=nlp][aria-pressed=true]"))
                .click();
        awaitResults(List.of(OOM_VISION, OOM_NLP));

        browser.driver
                .findElement(By.cssSelector("button.sort[data-sort=team]"))
                .click();
        browser.await(d -> d.getCurrentUrl().endsWith("&sort=team+ASC"));
        browser.await(d -> resultIds().equals(List.of(OOM_NLP, OOM_VISION)));
        browser.driver
                .findElement(By.cssSelector("button.sort[data-sort=team]"))
                .click();
        browser.await(d -> resultIds().equals(List.of(OOM_VISION, OOM_NLP)));
        assertThat(browser.driver
                        .findElement(By.xpath("//button[@data-sort='team']/.."))
                        .getAttribute("aria-sort"))
                .isEqualTo("descending");

        String bad = "attributes.team = 'nlp' AND params.shards >";
        Platform.Reply api = Platform.get(
                Platform.QUERY_URL + "/api/v1/runs/search?filter=" + URLEncoder.encode(bad, StandardCharsets.UTF_8),
                tenant.readKey());
        assertThat(api.status()).isEqualTo(400);
        int column = api.body().get("error").get("details").get("column").asInt();
        browser.open(searchHash(TOKEN, bad));
        WebElement pointer = browser.visible("#filter-error .error-pointer");
        assertThat(pointer.getAttribute("data-column")).isEqualTo(String.valueOf(column));
        assertThat(pointer.getText()).endsWith(" ".repeat(column - 1) + "^");
        assertThat(browser.visible("#filter-error .error-message").getText())
                .startsWith("Filter, column " + column + ": ");
        assertThat(browser.driver.findElement(By.id("filter")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        browser.screenshot("search-filter-error");
    }

    @Test
    void moreResultsLoadByCursorAsTheListScrolls() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Searching.search(tenant.readKey(), PAGED_TOKEN)
                                .body()
                                .get("total")
                                .asInt()
                        == PAGED_RUNS);
        logInAt(searchHash(PAGED_TOKEN, null));
        browser.await(d -> resultIds().size() >= 25);
        browser.await(d -> {
            browser.script("window.scrollTo(0, document.documentElement.scrollHeight)");
            return resultIds().size() == PAGED_RUNS;
        });
        List<String> expected = java.util.stream.IntStream.range(0, PAGED_RUNS)
                .mapToObj(i -> "paged-" + i + "-" + PAGED_TOKEN)
                .toList();
        assertThat(resultIds()).as("every run once, over pages").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(browser.visible("#result-summary").getText()).isEqualTo(PAGED_RUNS + " runs");
        assertThat(browser.driver.findElement(By.id("load-more")).isDisplayed())
                .as("no page left")
                .isFalse();
    }

    @Test
    void pagesFitA390PixelScreen() throws Exception {
        logInAt(searchHash(TOKEN, null));
        browser.resize(390, 844);
        try {
            awaitResults(List.of(OOM_VISION, OOM_NLP));
            assertThat(horizontalOverflow())
                    .as("search page at 390 px: %s", widest())
                    .isLessThanOrEqualTo(0L);
            browser.screenshot("search-390");
            browser.open("#/runs/" + OOM_VISION);
            browser.present(".chart[data-metric=loss][data-series-count] canvas");
            assertThat(horizontalOverflow())
                    .as("run page at 390 px: %s", widest())
                    .isLessThanOrEqualTo(0L);
            browser.fullPageScreenshot("run-390");
        } finally {
            browser.resize(1280, 900);
        }
    }

    /** The elements that stick out on the right, for the message of a failed width check. */
    private static Object widest() {
        return browser.script("const w = document.documentElement.clientWidth;"
                + " return [...document.querySelectorAll('main *')]"
                + ".filter(e => e.getBoundingClientRect().right > w).slice(-5)"
                + ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
    }

    private static long horizontalOverflow() {
        return (Long)
                browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    }

    @Test
    void htmlAndScriptInRunDataAreShownAsTextAndNeverRun() throws Exception {
        logInAt(searchHash(XSS_TOKEN, null));
        awaitResults(List.of(HOSTILE));
        WebElement row = browser.present("tr.run[data-run-id='" + HOSTILE + "']");
        assertThat(row.findElement(By.cssSelector("a.run-link")).getText()).isEqualTo(NAME);
        String snippets = browser.driver
                .findElements(By.cssSelector("tr.snippets"))
                .get(0)
                .getText();
        assertThat(snippets)
                .contains("<script>window.__pwned='trace';document.title='pwned'</script>", "&amp; <b>bold</b>");
        assertThat(browser.driver.findElements(By.cssSelector("tr.snippets mark")))
                .extracting(WebElement::getText)
                .contains(XSS_TOKEN);
        browser.screenshot("xss-search");
        assertNothingRan();

        row.findElement(By.cssSelector("a.run-link")).click();
        assertThat(browser.visible("#run-name").getText()).isEqualTo(NAME);
        assertThat(browser.visible("#tags").getText()).contains(TAG_SCRIPT, TAG_IMG);
        assertThat(browser.visible("#params").getText()).contains(PARAM);
        assertThat(browser.visible("#notes .note-text").getText()).isEqualTo(NOTE);
        assertThat(browser.visible("#failure-message").getText())
                .isEqualTo("<script>window.__pwned='message'</script>");
        assertThat(textContent("#raw-trace")).isEqualTo(TRACE);
        assertThat(browser.driver.findElement(By.cssSelector(".trace")).getText())
                .contains(
                        "/work/app/<img src=x onerror=window.__pwned='frame'>.py",
                        "<script>window.__pwned='code'</script>");
        browser.fullPageScreenshot("xss-run");
        assertNothingRan();
    }

    /** No payload ran: no flag, the title is the app's, and the page holds no element a payload would have made. */
    private static void assertNothingRan() {
        assertThat(browser.script("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(browser.driver.getTitle()).endsWith(" · Lab Journal").isNotEqualTo("pwned");
        assertThat(browser.driver.findElements(By.cssSelector("main img, main script, main svg, main b")))
                .isEmpty();
    }

    @Test
    void theUiIsServedAtTheRootWithAContentSecurityPolicyAndTheApiIsUnchanged() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> root = http.send(
                HttpRequest.newBuilder(URI.create(Platform.QUERY_URL + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("content-type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(root.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(
                        csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(root.body()).contains("<script type=\"module\" src=\"/ui/js/app.js\"></script>");
        HttpResponse<String> uplot = http.send(
                HttpRequest.newBuilder(URI.create(Platform.QUERY_URL + "/ui/vendor/uplot/uPlot.esm.js"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uplot.statusCode())
                .as("uPlot, unpacked from its webjar by the build")
                .isEqualTo(200);

        Platform.Reply unauthenticated =
                Platform.send(HttpRequest.newBuilder(URI.create(Platform.QUERY_URL + "/api/v1/runs/search"))
                        .build());
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.body().get("error").get("code").asText()).isEqualTo("unauthenticated");
        Platform.Reply unknown = Platform.get(Platform.QUERY_URL + "/api/v1/no-such-thing", tenant.readKey());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").get("code").asText()).isEqualTo("not_found");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Platform.get(Platform.QUERY_URL + "/q/health/ready", tenant.readKey())
                                .status()
                        == 200);
    }
}
