package dev.labjournal.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, for the web UI. The browser and its driver are Debian's ({@code chromium},
 * {@code chromium-driver}, installed by {@code deploy/local/labjournal up}); Selenium Manager is never asked to
 * download one. {@code LJ_CHROMIUM} and {@code LJ_CHROMEDRIVER} point elsewhere.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Platform.ROOT.resolve("e2e/target/screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser(int width, int height) {
        Path chromium = Path.of(Platform.env("LJ_CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(Platform.env("LJ_CHROMEDRIVER", "/usr/bin/chromedriver"));
        for (Path needed : new Path[] {chromium, chromedriver}) {
            if (!Files.isExecutable(needed)) {
                throw new IllegalStateException("no " + needed + ": deploy/local/labjournal up installs it as root"
                        + " (apt-get install -y chromium chromium-driver); LJ_CHROMIUM and LJ_CHROMEDRIVER point"
                        + " elsewhere");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=" + width + "," + height);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
    }

    void open(String hash) {
        driver.get(Platform.QUERY_URL + "/" + hash);
    }

    /** Logs in with the key if the login form is shown (the key stays in this tab's sessionStorage). */
    void logIn(String key) {
        WebElement input = await(ExpectedConditions.elementToBeClickable(By.id("api-key")));
        input.sendKeys(key);
        driver.findElement(By.id("login-submit")).click();
        await(ExpectedConditions.invisibilityOfElementLocated(By.id("api-key")));
    }

    <T> T await(Function<? super WebDriver, T> condition) {
        return wait.until(condition);
    }

    WebElement visible(String css) {
        return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    WebElement present(String css) {
        return await(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * The Content-Security-Policy violations the console reported since the last call (an inline style or script a
     * library tried, refused by the UI's policy).
     */
    List<String> policyViolations() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy"))
                .toList();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a full-window screenshot as e2e/target/screenshots/{name}.png. */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A screenshot of the whole page: the window made as tall as the page (at most 6,000 px) for the shot. */
    void fullPageScreenshot(String name) throws IOException {
        Dimension window = driver.manage().window().getSize();
        long height = (Long) script("return Math.min(6000, document.documentElement.scrollHeight + 150)");
        resize(window.getWidth(), (int) Math.max(window.getHeight(), height));
        try {
            screenshot(name);
        } finally {
            resize(window.getWidth(), window.getHeight());
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
