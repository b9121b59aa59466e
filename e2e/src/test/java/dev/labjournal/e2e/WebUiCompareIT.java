package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The compare page and the failures page of the web UI in headless Chromium: runs published with known params and
 * metrics are ticked on the search page and compared (the param diff, one chart series per run, one per value when
 * grouped by a param, parallel coordinates); failures published in three failure groups are listed in the API's
 * order with the counts published, and a group opens on its runs. A second tenant's key sees none of it.
 * Screenshots (1280 and 390 px wide) go to e2e/target/screenshots/.
 */
class WebUiCompareIT {

    private static final String PROJECT = "webui-compare";
    /** A word only this test's compared runs have in their names. */
    private static final String TOKEN = "cmprun" + UUID.randomUUID().toString().substring(0, 8);

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> RUNS =
            IntStream.rangeClosed(1, 4).mapToObj(i -> "cmp-" + i + "-" + SUFFIX).toList();
    /** The params published per run, in run order. */
    private static final List<Map<String, String>> PARAMS = List.of(
            Map.of("lr", "0.1", "batch_size", "512", "optimizer", "adam", "seed", "1"),
            Map.of("lr", "0.01", "batch_size", "512", "optimizer", "adam", "seed", "2"),
            Map.of("lr", "0.1", "batch_size", "512", "optimizer", "adam", "seed", "3"),
            Map.of("lr", "0.01", "batch_size", "512", "optimizer", "sgd", "seed", "4"));

    private static final int LOSS_POINTS = 100;
    /** The last run's loss is longer than the page asks for (400 points per run), so it comes downsampled. */
    private static final int LONG_LOSS_POINTS = 1000;

    private static final int LAST_ACC_STEP = 90;

    /** Failure groups and how many failed runs each gets: three distinct signatures, 3, 2 and 1 runs. */
    private static final List<String> OOM = List.of("oom-1-" + SUFFIX, "oom-2-" + SUFFIX, "oom-3-" + SUFFIX);

    private static final List<String> SHAPES = List.of("shape-1-" + SUFFIX, "shape-2-" + SUFFIX);
    private static final List<String> KEYS = List.of("key-1-" + SUFFIX);

    private static TestTenant tenant;
    private static TestTenant other;
    private static Browser browser;

    @BeforeAll
    static void runsAndABrowser() throws Exception {
        tenant = TestTenant.create("webui-cmp");
        other = TestTenant.create("webui-cmp-other");
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < RUNS.size(); i++) {
            String run = RUNS.get(i);
            ObjectNode data =
                    Events.data().put("name", TOKEN + " run " + (i + 1)).put("team", "vision");
            ObjectNode params = data.putObject("params");
            PARAMS.get(i).forEach(params::put);
            events.add(Events.event(tenant.id(), PROJECT, run, "started", data));
            events.add(metrics(run, i, i == RUNS.size() - 1 ? LONG_LOSS_POINTS : LOSS_POINTS));
            events.add(Events.finished(tenant.id(), PROJECT, run, "succeeded"));
        }
        for (int i = 0; i < OOM.size(); i++) {
            events.addAll(failure(
                    OOM.get(i),
                    i == 2 ? "nlp" : "vision",
                    "torch.cuda.OutOfMemoryError",
                    "CUDA out of memory. Tried to allocate " + (i + 2) + ".00 GiB",
                    "models/resnet.py",
                    "forward"));
        }
        for (int i = 0; i < SHAPES.size(); i++) {
            events.addAll(failure(
                    SHAPES.get(i),
                    "nlp",
                    "ValueError",
                    "shapes (" + (i + 3) + ",4) and (5,6) not aligned",
                    "models/head.py",
                    "project"));
        }
        events.addAll(failure(
                KEYS.get(0), "data", "KeyError", "'label' column missing from the table", "data/load.py", "columns"));
        Platform.Reply reply = Events.postBatch(tenant.ingestKey(), events.toArray(ObjectNode[]::new));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(202);
        for (String run : RUNS) {
            Searching.awaitHit(tenant.readKey(), TOKEN, run);
            Runs.awaitRun(
                    tenant.readKey(),
                    run,
                    r -> "succeeded".equals(r.path("status").asText())
                            && r.get("metrics").size() == 2);
        }
        browser = new Browser(1280, 900);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** loss over {@code points} steps, a different curve per run, and acc over 10 steps. */
    private static ObjectNode metrics(String run, int index, int points) {
        ObjectNode data = Events.data();
        var array = data.putArray("metrics");
        for (int step = 0; step < points; step++) {
            array.addObject()
                    .put("key", "loss")
                    .put("value", (index + 1.0) / (step + 1))
                    .put("step", step);
        }
        for (int step = 0; step <= LAST_ACC_STEP; step += 10) {
            array.addObject().put("key", "acc").put("value", acc(index, step)).put("step", step);
        }
        return Events.event(tenant.id(), PROJECT, run, "metrics", data);
    }

    /** The acc the run of that index logs at a step (every 10th up to LAST_ACC_STEP). */
    private static double acc(int index, int step) {
        return 0.5 + index * 0.1 + step * 0.001;
    }

    private static List<ObjectNode> failure(
            String run, String team, String type, String message, String file, String function) {
        ObjectNode start = Events.data().put("name", "failing " + run).put("team", team);
        String trace = "Traceback (most recent call last):\n"
                + "  File \"/home/ada/project/train.py\", line 40, in main\n    trainer.fit(model)\n"
                + "  File \"/home/ada/project/" + file + "\", line 12, in " + function + "\n    step(batch)\n"
                + type + ": " + message + "\n";
        ObjectNode finish = Events.data().put("status", "failed");
        finish.putObject("failure").put("type", type).put("message", message).put("stacktrace", trace);
        return List.of(
                Events.event(tenant.id(), PROJECT, run, "started", start),
                Events.event(tenant.id(), PROJECT, run, "finished", finish));
    }

    /** Opens the hash with the key logged in (a different key than the tab holds logs that one out first). */
    private static void openAs(String key, String hash) {
        browser.open(hash);
        Object current = browser.script("return sessionStorage.getItem('labjournal.apiKey')");
        if (!key.equals(current)) {
            browser.script("sessionStorage.clear(); location.reload()");
            browser.logIn(key);
            browser.open(hash);
        }
    }

    /** An attribute of every element the selector finds, read in one script (elements are replaced as pages render). */
    @SuppressWarnings("unchecked")
    private static List<String> attributes(String css, String attribute) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))",
                css,
                attribute);
    }

    /** The params whose values differ among the runs, computed from what was published. */
    private static Set<String> differing(List<Integer> runs) {
        Set<String> keys = new TreeSet<>();
        runs.forEach(i -> keys.addAll(PARAMS.get(i).keySet()));
        Set<String> differ = new TreeSet<>();
        for (String key : keys) {
            if (runs.stream().map(i -> PARAMS.get(i).get(key)).distinct().count() > 1) {
                differ.add(key);
            }
        }
        return differ;
    }

    @Test
    void tickTwoRunsOnTheSearchPageAndCompareThem() throws Exception {
        openAs(tenant.readKey(), "#/search?q=" + TOKEN);
        browser.await(d -> attributes("#results-body tr.run", "data-run-id").size() == RUNS.size());
        WebElement first = browser.present("tr.run[data-run-id='" + RUNS.get(0) + "'] input.select-run");
        first.sendKeys(Keys.SPACE);
        browser.present("tr.run[data-run-id='" + RUNS.get(1) + "'] input.select-run")
                .click();
        WebElement compare = browser.visible("#compare-selected");
        assertThat(compare.getText()).isEqualTo("Compare (2)");
        assertThat(browser.driver.getCurrentUrl()).contains("selected=" + RUNS.get(0) + "," + RUNS.get(1));
        browser.screenshot("compare-selection");
        compare.click();
        browser.await(d -> d.getCurrentUrl().endsWith("#/compare?runs=" + RUNS.get(0) + "," + RUNS.get(1)));

        browser.present("#param-diff");
        assertThat(attributes("tr.compared-run", "data-run-id")).containsExactly(RUNS.get(0), RUNS.get(1));
        assertThat(browser.driver
                        .findElement(By.cssSelector("tr.compared-run[data-run-id='" + RUNS.get(0) + "'] a"))
                        .getAttribute("href"))
                .endsWith("#/runs/" + RUNS.get(0));
        assertThat(attributes("#param-diff tr.differs", "data-param"))
                .as("exactly the params that differ between the two runs")
                .containsExactlyElementsOf(differing(List.of(0, 1)));
        assertThat(browser.driver.findElements(By.cssSelector("#param-diff tr.shared")))
                .isEmpty();
        browser.driver.findElement(By.id("show-shared")).sendKeys(Keys.SPACE);
        browser.await(
                d -> !d.findElements(By.cssSelector("#param-diff tr.shared")).isEmpty());
        Set<String> shared = new TreeSet<>(PARAMS.get(0).keySet());
        shared.removeAll(differing(List.of(0, 1)));
        assertThat(attributes("#param-diff tr.shared", "data-param")).containsExactlyElementsOf(shared);
        assertThat(browser.driver.getCurrentUrl()).contains("shared=1");

        WebElement loss = browser.present(".compare-chart[data-metric=loss]");
        browser.await(d -> !loss.findElements(By.tagName("canvas")).isEmpty());
        assertThat(loss.getAttribute("data-series-count")).isEqualTo("2");
        assertThat(attributes(".chart-slot[data-metric=loss] .legend-entry", "data-series"))
                .containsExactly(TOKEN + " run 1", TOKEN + " run 2");
        assertThat(loss.getAttribute("data-points"))
                .as("both runs log loss at the same steps")
                .isEqualTo(String.valueOf(LOSS_POINTS));
        browser.present(".compare-chart[data-metric=acc] canvas");
        assertThat(attributes(".chart-slot[data-metric=acc] .legend-entry", "data-last"))
                .as("each run's last acc")
                .extracting(Double::parseDouble)
                .containsExactly(acc(0, LAST_ACC_STEP), acc(1, LAST_ACC_STEP));
        browser.present("#parallel-chart[data-lines='2'] canvas");
        browser.fullPageScreenshot("compare-two-runs");
        assertThat(browser.policyViolations())
                .as("uPlot and ECharts under the UI's policy")
                .isEmpty();
    }

    /**
     * Log scale and smoothing on the compare page: the overlaid charts redraw with a log y axis and each run's moving
     * average (its last value checked against the debiased moving average computed here from the published acc), the
     * raw value stays in the legend, and both choices live in the URL.
     */
    @Test
    void logScaleAndSmoothingRedrawTheOverlaidChartsAndStayInTheUrl() throws Exception {
        openAs(tenant.readKey(), "#/compare?runs=" + RUNS.get(0) + "," + RUNS.get(1));
        browser.present(".compare-chart[data-metric=acc] canvas");
        assertThat(attributes(".compare-chart", "data-scale")).containsOnly("linear");

        browser.visible("#compare-log").sendKeys(Keys.SPACE);
        browser.await(d -> attributes(".compare-chart", "data-scale").equals(List.of("log", "log")));
        assertThat(browser.driver.getCurrentUrl()).contains("log=1");

        browser.visible("#compare-smoothing").sendKeys(Keys.END);
        browser.await(d ->
                attributes(".compare-chart[data-metric=acc]", "data-smoothing").equals(List.of("0.99")));
        browser.present(".compare-chart[data-metric=acc] canvas");
        assertThat(browser.driver.getCurrentUrl()).contains("smoothing=0.99");
        assertThat(attributes(".chart-slot[data-metric=acc] .legend-entry", "data-last"))
                .as("the legend keeps each run's raw last acc")
                .extracting(Double::parseDouble)
                .containsExactly(acc(0, LAST_ACC_STEP), acc(1, LAST_ACC_STEP));
        assertThat(attributes(".chart-slot[data-metric=acc] .legend-entry", "data-smoothed-last"))
                .as("each run's smoothed last acc: the debiased moving average of its published values")
                .extracting(Double::parseDouble)
                .zipSatisfy(
                        List.of(smoothedLastAcc(0, 0.99), smoothedLastAcc(1, 0.99)),
                        (shown, expected) -> assertThat(shown).isCloseTo(expected, within(1e-9)));
        browser.fullPageScreenshot("compare-log-smoothed");

        browser.open("#/compare?runs=" + RUNS.get(0) + "," + RUNS.get(1) + "&log=1&smoothing=0.5");
        browser.await(d -> attributes(".compare-chart", "data-smoothing").equals(List.of("0.5", "0.5")));
        assertThat(attributes(".compare-chart", "data-scale")).containsOnly("log");
        assertThat(browser.driver.findElement(By.id("compare-log")).isSelected())
                .isTrue();
        assertThat(browser.driver.findElement(By.id("compare-smoothing")).getAttribute("value"))
                .isEqualTo("0.5");
    }

    /** TensorBoard's debiased exponential moving average of a run's acc values, at its last step. */
    private static double smoothedLastAcc(int index, double weight) {
        double average = 0;
        int seen = 0;
        for (int step = 0; step <= LAST_ACC_STEP; step += 10) {
            average = weight * average + (1 - weight) * acc(index, step);
            seen++;
        }
        return average / (1 - Math.pow(weight, seen));
    }

    @Test
    void groupingByAParamGivesOneSeriesPerValueAndParallelCoordinatesALinePerRun() throws Exception {
        openAs(tenant.readKey(), "#/compare?runs=" + String.join(",", RUNS));
        WebElement loss = browser.present(".compare-chart[data-metric=loss][data-series-count]");
        assertThat(loss.getAttribute("data-series-count")).isEqualTo(String.valueOf(RUNS.size()));
        assertThat(attributes("#param-diff tr.differs", "data-param"))
                .containsExactlyElementsOf(differing(List.of(0, 1, 2, 3)));

        new Select(browser.driver.findElement(By.id("group-by"))).selectByValue("lr");
        browser.await(d -> "lr".equals(d.findElement(By.id("compare-charts")).getAttribute("data-group")));
        WebElement grouped = browser.present(".compare-chart[data-metric=loss][data-series-count]");
        Map<String, Long> runsPerValue = new LinkedHashMap<>();
        PARAMS.forEach(p -> runsPerValue.merge("lr = " + p.get("lr"), 1L, Long::sum));
        assertThat(grouped.getAttribute("data-series-count")).isEqualTo(String.valueOf(runsPerValue.size()));
        assertThat(attributes(".chart-slot[data-metric=loss] .legend-entry", "data-series"))
                .containsExactlyElementsOf(runsPerValue.keySet());
        assertThat(attributes(".chart-slot[data-metric=loss] .legend-entry", "data-runs"))
                .containsExactlyElementsOf(
                        runsPerValue.values().stream().map(String::valueOf).toList());
        assertThat(grouped.getAttribute("data-points"))
                .as("the union of the steps of the runs, the downsampled one's included")
                .isNotEqualTo(String.valueOf(LOSS_POINTS));
        assertThat(browser.driver.getCurrentUrl()).contains("group=lr");
        List<Double> meanLastAcc = new ArrayList<>();
        for (String value : runsPerValue.keySet()) {
            meanLastAcc.add(IntStream.range(0, RUNS.size())
                    .filter(i -> value.equals("lr = " + PARAMS.get(i).get("lr")))
                    .mapToDouble(i -> acc(i, LAST_ACC_STEP))
                    .average()
                    .orElseThrow());
        }
        assertThat(attributes(".chart-slot[data-metric=acc] .legend-entry", "data-last"))
                .as("each value's line ends at the mean of its runs' last acc")
                .extracting(Double::parseDouble)
                .zipSatisfy(meanLastAcc, (shown, mean) -> assertThat(shown).isCloseTo(mean, within(1e-9)));

        WebElement parallel = browser.present("#parallel-chart[data-lines]");
        browser.await(d -> !parallel.findElements(By.tagName("canvas")).isEmpty());
        assertThat(parallel.getAttribute("data-lines")).isEqualTo(String.valueOf(RUNS.size()));
        assertThat(parallel.getAttribute("data-axes"))
                .as("an axis per differing param and the metric's")
                .isEqualTo(String.valueOf(differing(List.of(0, 1, 2, 3)).size() + 1));
        browser.fullPageScreenshot("compare");
        assertThat(browser.policyViolations())
                .as("uPlot and ECharts under the UI's policy")
                .isEmpty();

        browser.resize(390, 844);
        try {
            browser.open("#/compare?runs=" + String.join(",", RUNS) + "&group=lr");
            browser.present(".compare-chart[data-metric=loss] canvas");
            browser.present("#parallel-chart canvas");
            assertThat(horizontalOverflow()).as("compare page at 390 px").isLessThanOrEqualTo(0L);
            browser.fullPageScreenshot("compare-390");
        } finally {
            browser.resize(1280, 900);
        }
    }

    @Test
    void theFailuresPageListsTheGroupsInTheApisOrderAndAGroupOpensOnItsRuns() throws Exception {
        JsonNode groups = awaitGroups(tenant.readKey(), 3);
        List<String> order = new ArrayList<>();
        groups.forEach(g -> order.add(g.get("group").asText()));
        Map<String, List<String>> runsOf =
                Map.of(groupOf(OOM.get(0)), OOM, groupOf(SHAPES.get(0)), SHAPES, groupOf(KEYS.get(0)), KEYS);
        assertThat(runsOf).as("three distinct groups").hasSize(3);
        assertThat(order).containsExactly(groupOf(OOM.get(0)), groupOf(SHAPES.get(0)), groupOf(KEYS.get(0)));

        openAs(tenant.readKey(), "#/search");
        browser.visible("#nav-failures").click();
        browser.await(d -> attributes("li.failure-group", "data-group").size() == 3);
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/failures");
        assertThat(attributes("li.failure-group", "data-group"))
                .as("the API's order")
                .containsExactlyElementsOf(order);
        assertThat(attributes("li.failure-group", "data-count"))
                .as("the runs published per group")
                .containsExactly(
                        String.valueOf(OOM.size()), String.valueOf(SHAPES.size()), String.valueOf(KEYS.size()));
        WebElement top = browser.present("li.failure-group[data-group='" + order.get(0) + "']");
        assertThat(top.findElements(By.cssSelector(".team")))
                .extracting(e -> e.getAttribute("data-team") + "=" + e.getAttribute("data-count"))
                .containsExactly("vision=2", "nlp=1");
        assertThat(top.findElement(By.cssSelector(".exception-type")).getText())
                .isEqualTo("torch.cuda.OutOfMemoryError");
        top.findElement(By.cssSelector(".example-trace summary")).click();
        WebElement app = browser.visible("li.failure-group[data-group='" + order.get(0) + "'] .trace .frame-app");
        assertThat(app.getText()).contains("/home/ada/project/");
        browser.fullPageScreenshot("failures");

        browser.resize(390, 844);
        try {
            assertThat(horizontalOverflow()).as("failures page at 390 px").isLessThanOrEqualTo(0L);
            browser.fullPageScreenshot("failures-390");
        } finally {
            browser.resize(1280, 900);
        }

        WebElement window = browser.present("li.failure-group[data-group='" + order.get(0) + "'] a.group-runs-window");
        assertThat(window.getText()).isEqualTo("The " + OOM.size() + " runs of the last 30 days →");
        window.click();
        browser.await(d -> new TreeSet<>(attributes("#results-body tr.run", "data-run-id")).equals(new TreeSet<>(OOM)));
        assertThat(browser.driver.findElement(By.id("filter")).getAttribute("value"))
                .as("the group's runs that ended within the window the count counts")
                .startsWith("attributes.failure_group = '" + order.get(0) + "' AND attributes.end_time >= '");
        browser.driver.navigate().back();
        browser.present("li.failure-group[data-group='" + order.get(0) + "'] a.group-runs")
                .click();
        browser.await(d -> new TreeSet<>(attributes("#results-body tr.run", "data-run-id")).equals(new TreeSet<>(OOM)));
        assertThat(browser.driver.findElement(By.id("filter")).getAttribute("value"))
                .isEqualTo("attributes.failure_group = '" + order.get(0) + "'");
        browser.present("[data-facet=failure_group] button[data-value='" + order.get(0) + "'][aria-pressed=true]");
    }

    @Test
    void anotherTenantsKeySeesNoneOfTheseRunsOnEitherPage() throws Exception {
        awaitGroups(tenant.readKey(), 3);
        openAs(other.readKey(), "#/compare?runs=" + RUNS.get(0) + "," + RUNS.get(1));
        WebElement missing = browser.visible("#compare-not-found");
        assertThat(missing.getText()).contains(RUNS.get(0), RUNS.get(1));
        assertThat(browser.driver.findElements(By.cssSelector("#param-diff, .compare-chart, tr.compared-run")))
                .as("no data of the other tenant")
                .isEmpty();
        browser.screenshot("compare-other-tenant");

        browser.open("#/compare?runs=" + RUNS.get(0) + ",not%20an%20id");
        assertThat(browser.visible("#compare-error").getText()).contains("not a run id");

        browser.open("#/failures?days=365");
        browser.await(
                ExpectedConditions.textMatches(By.id("failures-summary"), java.util.regex.Pattern.compile("^No run")));
        assertThat(browser.driver.findElements(By.cssSelector("li.failure-group")))
                .isEmpty();

        browser.open("#/search?q=" + TOKEN);
        browser.await(ExpectedConditions.textToBe(By.id("result-summary"), "0 runs"));
    }

    private static JsonNode awaitGroups(String key, int count) {
        JsonNode[] groups = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/failure-groups?days=30", key);
                    groups[0] = reply.body().get("groups");
                    int runs = 0;
                    for (JsonNode g : groups[0]) {
                        runs += g.get("count").asInt();
                    }
                    return reply.status() == 200
                            && groups[0].size() == count
                            && runs == OOM.size() + SHAPES.size() + KEYS.size();
                });
        return groups[0];
    }

    private static String groupOf(String run) throws Exception {
        JsonNode similar = Platform.get(
                        Platform.QUERY_URL + "/api/v1/runs/" + run + "/similar-failures", tenant.readKey())
                .body();
        return Objects.requireNonNull(similar.get("failure_group").asText(null), "failure group of " + run);
    }

    private static long horizontalOverflow() {
        return (Long)
                browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    }
}
