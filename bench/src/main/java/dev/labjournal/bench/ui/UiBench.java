package dev.labjournal.bench.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.bench.Http;
import dev.labjournal.bench.TenantAdmin;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.ScriptTimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI's two page-load targets (issue 11), in headless Chromium as a user opens them: the search page's first
 * results with a large tenant indexed, and the run page of a long series drawn. Each load is a fresh page (a new
 * document, modules and API calls included, the browser cache kept as a returning user has it); the time is the
 * page's own clock ({@code performance.now()}, from navigation start) at the moment the first result row, or the
 * chart's canvas with its points, is in the DOM.
 *
 * <pre>
 * bench/run ui --tenant=&lt;a search tenant&gt; --run-tenant=&lt;a history tenant&gt; [--run=run-00000]
 *              [--metric=train/loss] [--loads=20] [--q=text]
 * </pre>
 *
 * The search page is loaded with each of five failure queries in turn (all of them match runs of the search
 * benchmark's corpus), or with {@code --q} only.
 *
 * The tenants come from {@code bench/run search --keep-data} (200,000 runs) and {@code bench/run --phases=history
 * --keep-data} (one run of 1,000,000 points).
 */
public final class UiBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> QUERIES = List.of(
            "CUDA out of memory",
            "NCCL Watchdog timeout",
            "loss scale minimum",
            "preempted SIGTERM",
            "tokenizer llama");
    private static final String AWAIT = "const [selector, done] = [arguments[0], arguments[arguments.length - 1]];"
            + " const found = () => document.querySelector(selector);"
            + " if (found()) { done(performance.now()); return; }"
            + " new MutationObserver((m, o) => { if (found()) { o.disconnect(); done(performance.now()); } })"
            + ".observe(document, {childList: true, subtree: true, attributes: true});";

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("usage: bench/run ui --tenant=ID --run-tenant=ID [--run=run-00000]"
                        + " [--metric=train/loss] [--loads=20] [--q=text] [--query-url=http://127.0.0.1:8080]");
                System.exit(2);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String queryUrl = given.getOrDefault("query-url", "http://127.0.0.1:" + env("LJ_QUERY_PORT", "8080"));
        TenantAdmin admin = TenantAdmin.fromKeyFile(
                new Http(), queryUrl, Path.of(given.getOrDefault("admin-key-file", "deploy/local/.state/admin-key")));
        int loads = Integer.parseInt(given.getOrDefault("loads", "20"));
        String searchKey = admin.issueKey(required(given, "tenant"), "read");
        String runKey = admin.issueKey(required(given, "run-tenant"), "read");
        String run = given.getOrDefault("run", "run-00000");
        String metric = given.getOrDefault("metric", "train/loss");
        List<String> queries = given.containsKey("q") ? List.of(given.get("q")) : QUERIES;

        ChromeDriver driver = browser();
        try {
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "Lab Journal UI benchmark: %d loads of each page%n", loads);
            double[] search = new double[loads];
            for (int i = 0; i < loads + 2; i++) {
                String q = URLEncoder.encode(queries.get(i % queries.size()), StandardCharsets.UTF_8);
                double ms = load(driver, queryUrl, searchKey, i, "#/search?q=" + q, "#results-body tr.run");
                if (i >= 2) {
                    search[i - 2] = ms;
                }
            }
            report("search page, first results", search);
            double[] runPage = new double[loads];
            String chart = ".chart[data-metric=\"" + metric + "\"][data-points] canvas";
            for (int i = 0; i < loads + 2; i++) {
                double ms = load(driver, queryUrl, runKey, i, "#/runs/" + run, chart);
                if (i >= 2) {
                    runPage[i - 2] = ms;
                }
            }
            report("run page, " + metric + " drawn", runPage);
        } finally {
            driver.quit();
        }
    }

    /** One fresh load of the page {@code hash} with {@code key} logged in; milliseconds until {@code selector}. */
    private static double load(ChromeDriver driver, String queryUrl, String key, int n, String hash, String selector) {
        driver.get(queryUrl + "/ui/app.css?blank");
        driver.executeScript("sessionStorage.setItem('labjournal.apiKey', arguments[0])", key);
        driver.get(queryUrl + "/?load=" + n + hash);
        try {
            return ((Number) driver.executeAsyncScript(AWAIT, selector)).doubleValue();
        } catch (ScriptTimeoutException e) {
            throw new IllegalStateException("no " + selector + " on " + hash + " within the script timeout; the page"
                    + " shows: " + driver.executeScript("return document.body.innerText"));
        }
    }

    private static void report(String what, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "  %-36s n=%3d  p50 %6.0f ms  p90 %6.0f ms  max %6.0f ms  (target < 1,000 ms)%n",
                what,
                sorted.length,
                rank(sorted, 50),
                rank(sorted, 90),
                sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(env("LJ_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        Path.of(env("LJ_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static String required(Map<String, String> given, String name) {
        String value = given.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + "= is required (bench/run ui --help)");
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private UiBench() {}
}
