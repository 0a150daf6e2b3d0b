package dev.lasermesh.gateway.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard end to end in a real headless Chromium, against the gateway with a real Kafka broker, a
 * real PostgreSQL and the three worker services as their own processes: the form refuses a bad window
 * in the browser and shows the server's message for a model that does not exist next to the field;
 * a laserRMT greedy search on the demo model submitted through the form is listed at once, running, and
 * followed to SUCCEEDED on its page and on the jobs page without a reload; the job page then shows each of its five charts
 * with the job's data (checked in ECharts' own options against the REST API), responds to the keyboard,
 * and the console holds no error but the expected 400. Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(DemoModelProfile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class DashboardBrowserIT {

    private static final Path SHOTS = Path.of("target/screenshots");
    private static final Set<String> RUNNING = Set.of("QUEUED", "ANALYZING", "REDUCING", "EVALUATING", "SEARCHING",
            "ASSEMBLING");
    /** What ECharts holds for each chart of the job page: series sizes and the values the test compares. */
    private static final String CHARTS = """
            const option = (id) => { const c = echarts.getInstanceByDom(document.getElementById(id));
                                     return c ? c.getOption() : null; };
            const esd = option('chart-esd'), sv = option('chart-sv'), heat = option('chart-heatmap'),
                  cand = option('chart-candidates'), comp = option('chart-compression');
            if (!esd || !sv || !heat || !cand || !comp) { return null; }
            return {
              esdBars: esd.series[0].data.length,
              esdNonEmptyBars: esd.series[0].data.filter(d => d[3] > 0).length,
              esdMpPoints: esd.series[1].data.length,
              esdPolicyLines: esd.series.slice(2).map(s => s.data.length),
              esdX: esd.xAxis[0].name, esdY: esd.yAxis[0].type,
              svPoints: sv.series[0].data.filter(d => d[1] > 0).length,
              svKept: sv.series[0].markLine.data[0].xAxis,
              heatCells: heat.series[0].data.length,
              heatValues: heat.series[0].data.filter(d => d.value[2] !== '-').length,
              accepted: cand.series[0].data.length, rejected: cand.series[1].data.length,
              baseline: cand.series[2].markLine.data[0].yAxis,
              compSeries: comp.series.map(s => s.data.length),
              compBefore: comp.series[0].data, compFactored: comp.series[2].data,
              matrix: document.getElementById('matrix').value
            };""";

    @TestHTTPResource("/")
    URL base;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    GatewayConfig config;

    @Test
    void aJobSubmittedThroughTheFormIsWatchedToSuccessAndItsChartsShowItsData() throws Exception {
        Path artifacts = config.artifacts().toAbsolutePath();
        try (WorkerProcesses workers = WorkerProcesses.start(Path.of("..").toAbsolutePath().normalize(), bootstrap,
                artifacts, Path.of("target/e2e").toAbsolutePath());
             HeadlessChromium chromium = HeadlessChromium.start()) {
            var driver = chromium.driver;
            driver.get(base.toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(d -> "demo-llama".equals(d.findElement(By.id("f-model")).getDomProperty("value")));
            driver.executeScript("window.e2eMarker = 'not reloaded'");

            // The browser refuses a window of 0 tokens next to the field, sending nothing.
            replace(driver.findElement(By.id("f-window")), "0");
            driver.findElement(By.id("f-submit")).click();
            assertTrue(errorOf(driver, "evaluation.window").contains("at least 2 tokens"));
            assertEquals("true", driver.findElement(By.id("f-window")).getDomAttribute("aria-invalid"));
            assertEquals(0, given().get("/api/v1/jobs").then().extract().jsonPath().getList("$").size());

            // The server's answer for a model it does not have is shown next to the model field.
            replace(driver.findElement(By.id("f-window")), "128");
            replace(driver.findElement(By.id("f-key")), "dev");
            replace(driver.findElement(By.id("f-model")), "no-such-model");
            driver.findElement(By.id("f-submit")).click();
            wait.until(d -> errorOf(d, "model").contains("does not exist"));
            List<LogEntry> refused = chromium.console();

            // A laserRMT greedy search on the demo model's last two layers, 2048 tokens of the demo text.
            replace(driver.findElement(By.id("f-model")), "demo-llama");
            replace(driver.findElement(By.id("f-layers")), "4-5");
            new Select(driver.findElement(By.id("f-strategy"))).selectByValue("laserrmt-greedy");
            replace(driver.findElement(By.id("f-max-tokens")), "2048");
            driver.findElement(By.id("f-submit")).click();
            String id = wait.until(d -> d.findElement(By.cssSelector("#form-ok a")).getText());
            String shownFirst = status(driver, "#job-" + id + " .badge");
            assertTrue(RUNNING.contains(shownFirst), "the new job is listed at once, running: " + shownFirst);
            chromium.screenshot(SHOTS.resolve("1-jobs-submitted.png"));
            String jobsTab = driver.getWindowHandle();

            // Its page, opened in a second tab from the link the form showed, follows it live to the end.
            String link = driver.findElement(By.cssSelector("#form-ok a")).getDomProperty("href");
            chromium.newTab(link);
            wait.until(d -> status(driver, "#job-status") != null);
            driver.executeScript("window.e2eMarker = 'not reloaded'");
            List<String> seen = watchUntilEnded(driver, "#job-status", chromium, SHOTS.resolve("3-job-running.png"));
            assertEquals("SUCCEEDED", seen.getLast(), "statuses seen on the job page: " + seen);
            assertTrue(seen.stream().anyMatch(RUNNING::contains), "a running state was shown before the end: " + seen);
            assertEquals("not reloaded", driver.executeScript("return window.e2eMarker"), "the job page was not reloaded");
            assertTrue(workers.running(), "the worker processes served the job and kept running");
            String log = (String) driver.executeScript("return document.getElementById('log').innerText");
            assertTrue(log.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\s*status SEARCHING.*\\d\\d:\\d\\d:\\d\\d\\s*status SUCCEEDED.*"),
                    "the event log took the status changes as they came: " + log);
            List<String> loggedCandidates = log.lines().filter(l -> l.contains("candidate #")).toList();

            // Meanwhile the jobs page, in the background, took the same end from its event stream.
            driver.switchTo().window(jobsTab);
            wait.until(d -> "SUCCEEDED".equals(status(driver, "#job-" + id + " .badge")));
            assertEquals("not reloaded", driver.executeScript("return window.e2eMarker"), "the jobs page was not reloaded");
            assertEquals("100", driver.executeScript(
                    "return document.querySelector('#job-' + CSS.escape(arguments[0]) + ' .bar').getAttribute('aria-valuenow')", id));
            driver.executeScript("window.scrollTo(0, 0)");
            chromium.screenshot(SHOTS.resolve("2-jobs-succeeded.png"));

            // The job page, opened from the jobs page.
            driver.findElement(By.linkText(id)).click();
            Map<String, Object> charts = awaitCharts(driver);
            double baseline = new ObjectMapper().readTree(given().get("/api/v1/jobs/{id}", id).then().statusCode(200)
                    .extract().asString()).get("baselinePerplexity").asDouble();
            JsonPath matrices = given().get("/api/v1/jobs/{id}/matrices", id).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> trace = given().get("/api/v1/jobs/{id}/candidates", id).then().extract().jsonPath().getList("$");
            int modules = given().get("/api/v1/jobs/{id}/compression", id).then().extract().jsonPath().getList("modules").size();

            assertEquals(60L, charts.get("esdBars"), "ESD bins");
            assertTrue((Long) charts.get("esdNonEmptyBars") > 5, "the singular values fill the histogram: " + charts);
            assertEquals((long) SpectrumChart.CURVE_POINTS, charts.get("esdMpPoints"), "MP density curve");
            assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 2L, 2L), charts.get("esdPolicyLines"), "one line per policy");
            String selected = (String) charts.get("matrix");
            Map<?, ?> matrix = matrices.getMap("find { it.matrix.tensor == '" + selected + "' }");
            List<?> singularValues = (List<?>) ((Map<?, ?>) matrix.get("spectrum")).get("singularValues");
            assertEquals((long) singularValues.size(), charts.get("svPoints"), "every singular value of " + selected);
            int kept = matrix.get("reduction") != null ? (Integer) ((Map<?, ?>) matrix.get("reduction")).get("rank") : singularValues.size();
            assertEquals(kept + 0.5, ((Number) charts.get("svKept")).doubleValue(), "kept rank of " + selected);
            int count = matrices.getList("$").size();
            assertEquals(12, count, "layers 4-5 x the six types laserRMT's greedy scan tries (no gate)");
            assertEquals((long) count, charts.get("heatCells"));
            assertEquals((long) count, charts.get("heatValues"), "every matrix has its kept fraction");
            assertFalse(trace.isEmpty(), "the search decided candidates");
            assertEquals(trace.size(), loggedCandidates.size(), "every candidate reached the job page's log once: " + log);
            assertEquals((long) trace.size(), (Long) charts.get("accepted") + (Long) charts.get("rejected"));
            assertEquals(trace.stream().filter(c -> (Boolean) c.get("accepted")).count(), charts.get("accepted"));
            assertEquals(baseline, ((Number) charts.get("baseline")).doubleValue(), 0, "the base model's perplexity");
            assertEquals(List.of((long) modules, (long) modules, (long) modules), charts.get("compSeries"));
            List<?> before = (List<?>) charts.get("compBefore");
            List<?> factored = (List<?>) charts.get("compFactored");
            for (int i = 0; i < modules; i++) {
                assertTrue(((Number) factored.get(i)).longValue() <= ((Number) before.get(i)).longValue());
            }
            assertTrue(driver.findElement(By.id("report-link")).getDomAttribute("href").endsWith("/api/v1/jobs/" + id + "/report"));
            assertTrue(driver.findElement(By.id("output-table")).getText().contains("lasermesh-report.json"));
            chromium.screenshot(SHOTS.resolve("4-job-top.png"));
            chromium.fullPageScreenshot(SHOTS.resolve("5-job-full.png"));

            // The keyboard switches the ESD to the squares and the vertical axis to log.
            driver.findElement(By.cssSelector("input[name=scale][value=singular]")).sendKeys(Keys.ARROW_RIGHT);
            wait.until(d -> "σ²".equals(awaitCharts(driver).get("esdX")));
            driver.findElement(By.cssSelector("input[name=yscale][value=linear]")).sendKeys(Keys.ARROW_RIGHT);
            wait.until(d -> "log".equals(awaitCharts(driver).get("esdY")));
            new Select(driver.findElement(By.id("heatmap-metric"))).selectByValue("snr");
            assertEquals((long) count, awaitCharts(driver).get("heatCells"));
            driver.executeScript("document.getElementById('charts').scrollIntoView()");
            chromium.screenshot(SHOTS.resolve("6-job-charts-squared-log.png"));

            List<LogEntry> errors = new ArrayList<>(refused);
            errors.addAll(chromium.console());
            List<String> unexpected = errors.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(LogEntry::getMessage)
                    .filter(m -> !(m.contains("/api/v1/jobs ") && m.contains("400")))
                    .toList();
            assertEquals(List.of(), unexpected, "console errors");
            assertEquals(1, refused.stream().filter(e -> e.getMessage().contains("400")).count(),
                    "the refused submission is the one error the console shows: " + refused);
        }
    }

    private static void replace(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(text);
    }

    private static String errorOf(org.openqa.selenium.WebDriver driver, String field) {
        return driver.findElement(By.cssSelector("[data-error-for='" + field + "']")).getText();
    }

    /** The status a badge shows (its {@code data-status}), read in one script: rows are redrawn as events come. */
    private static String status(org.openqa.selenium.chrome.ChromeDriver driver, String badge) {
        return (String) driver.executeScript(
                "const b = document.querySelector(arguments[0]); return b && b.dataset.status ? b.dataset.status : null;",
                badge);
    }

    /**
     * The statuses a badge showed, in order, until the job ended; the first time the search runs, the page is
     * saved to {@code runningShot}.
     */
    private static List<String> watchUntilEnded(org.openqa.selenium.chrome.ChromeDriver driver, String badge,
                                                HeadlessChromium chromium, Path runningShot)
            throws InterruptedException, java.io.IOException {
        Set<String> seen = new LinkedHashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline) {
            String status = status(driver, badge);
            if (status != null) {
                if ("SEARCHING".equals(status) && !seen.contains(status)) {
                    chromium.screenshot(runningShot);
                }
                seen.add(status);
                if (!RUNNING.contains(status)) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        return new ArrayList<>(seen);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitCharts(org.openqa.selenium.chrome.ChromeDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            Object charts = driver.executeScript(CHARTS);
            return charts == null ? null : (Map<String, Object>) charts;
        });
    }
}
