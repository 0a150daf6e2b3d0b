package dev.lasermesh.gateway.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}); nothing is downloaded (the driver and the browser are given, so Selenium
 * Manager is not asked). The window is 1280×800, the size the dashboard is laid out for.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static HeadlessChromium start() throws IOException {
        for (Path p : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: apt-get install -y chromium chromium-driver");
            }
        }
        Path profile = Files.createTempDirectory("lasermesh-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1280,800",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        HeadlessChromium chromium = new HeadlessChromium(driver, profile);
        chromium.viewport(800);
        return chromium;
    }

    /** Opens {@code url} in a new tab, which becomes the current one, with the same 1280×800 viewport. */
    void newTab(String url) {
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        viewport(800);
        driver.get(url);
    }

    /** The console messages logged since the last call. */
    List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Saves what the window shows. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Saves the whole page, 1280 wide: the viewport is stretched to the page's height for the shot. */
    void fullPageScreenshot(Path file) throws IOException {
        long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
        viewport((int) Math.max(800, height));
        try {
            screenshot(file);
        } finally {
            viewport(800);
        }
    }

    /** Makes the page's viewport 1280 × height CSS pixels (the window's size includes its frame). */
    private void viewport(int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
