package dev.lasermesh.gateway.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.orchestrator.Orchestrator;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The job page's LoRA charts in a real headless Chromium (issue 10), against the gateway with a real
 * Kafka broker and a real PostgreSQL: a LoRA study job on tiny-llama and the {@code tiny-llama-lora}
 * adapter (layer 5, 1024 tokens), its tasks answered with core's components ({@link CoreWorkers}), is
 * opened on its page. The study table shows the five variants with the job's perplexities, the W/W'
 * chart holds both full spectra with both thresholds and both ranks as the API gives them (checked in
 * ECharts' own options against {@code /lora}), another matrix can be chosen, Spectrum's scan draws one
 * bar per module of the chosen type with {@code /scan}'s scores, and the console holds no error.
 * Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class LoraDashboardBrowserIT {

    private static final Path SHOTS = Path.of("target/screenshots");
    /** A hang guard for the job's end (seconds normally); not a time bound. */
    private static final Duration STUDY_HANG_GUARD = Duration.ofMinutes(10);
    /** What ECharts holds for the W/W' chart: both series and their marked lines. */
    private static final String LORA_CHART = """
            const c = echarts.getInstanceByDom(document.getElementById('chart-lora'));
            if (!c) { return null; }
            const o = c.getOption();
            const marks = (s) => s.markLine.data.map(d => d.yAxis !== undefined ? ['y', d.yAxis] : ['x', d.xAxis]);
            return { matrix: document.getElementById('lora-matrix').value,
                     names: o.series.map(s => s.name), points: o.series.map(s => s.data.length),
                     first: o.series.map(s => s.data[0][1]), marks: o.series.map(marks) };""";
    private static final String SCAN_CHART = """
            const c = echarts.getInstanceByDom(document.getElementById('chart-scan'));
            if (!c) { return null; }
            const o = c.getOption();
            return { type: document.getElementById('scan-type').value, modules: o.xAxis[0].data, scores: o.series[0].data };""";

    @TestHTTPResource("/")
    URL base;
    @Inject
    Orchestrator orchestrator;
    @Inject
    JobPlanner planner;
    @Inject
    JobStore store;
    @Inject
    GatewayConfig config;

    @Test
    void theLoraJobPageShowsTheStudyTableTheSpectraOfWAndWPrimeAndSpectrumsScan() throws Exception {
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024},
                 "study": {"kind": "lora", "adapter": "tiny-llama-lora"}}""", JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 11).run(id);
        }
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, STUDY_HANG_GUARD).status);
        JsonPath lora = given().get("/api/v1/jobs/{id}/lora", id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));

        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            var driver = chromium.driver;
            driver.get(base + "job.html?id=" + id);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));

            // The order study's table: the five variants, each with the job's perplexity.
            wait.until(d -> d.findElements(By.cssSelector("#lora-study tbody tr")).size() == 5);
            List<String> rows = driver.findElements(By.cssSelector("#lora-study tbody tr")).stream()
                    .map(r -> r.getText()).toList();
            for (int i = 0; i < 5; i++) {
                String name = lora.getString("study.variants[" + i + "].name");
                double ppl = lora.getDouble("study.variants[" + i + "].perplexity['sotu-2009-2021.txt']");
                assertTrue(rows.get(i).startsWith(name + " " + String.format(java.util.Locale.ROOT, "%.6f", ppl)),
                        "row " + i + ": " + rows.get(i));
            }
            assertTrue(driver.findElement(By.id("study")).getDomAttribute("hidden") != null,
                    "the quantization study's panel stays hidden");
            assertEquals(7, driver.findElements(By.cssSelector("#lora-matrices tbody tr")).size());

            // The W/W' chart of the first adapted matrix, then of the last one chosen in the list.
            checkSpectra(driver, lora, 0);
            new Select(driver.findElement(By.id("lora-matrix"))).selectByValue(lora.getString("matrices[6].analysis.name"));
            checkSpectra(driver, lora, 6);
            driver.executeScript("document.getElementById('lora').scrollIntoView()");
            chromium.screenshot(SHOTS.resolve("lora-1-study-and-spectra.png"));

            // Spectrum's scan, on request: one bar per module of the chosen type with /scan's scores.
            driver.findElement(By.id("scan-run")).click();
            Map<?, ?> scanChart = awaitChart(driver, SCAN_CHART, "scan");
            JsonPath scan = given().get("/api/v1/jobs/{id}/scan", id).then().statusCode(200).extract().jsonPath()
                    .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
            checkScan(scan, scanChart);
            new Select(driver.findElement(By.id("scan-type"))).selectByValue("mlp.down_proj");
            Map<?, ?> down = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
                Map<?, ?> chart = (Map<?, ?>) driver.executeScript(SCAN_CHART);
                return chart != null && "mlp.down_proj".equals(chart.get("type")) ? chart : null;
            });
            checkScan(scan, down);
            driver.executeScript("document.getElementById('scan').scrollIntoView()");
            chromium.screenshot(SHOTS.resolve("lora-2-scan.png"));

            List<String> errors = chromium.console().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
            assertEquals(List.of(), errors, "console errors");
        }
    }

    /** The chart shows matrix {@code i} of {@code /lora}: both spectra whole, both thresholds and ranks. */
    private static void checkSpectra(org.openqa.selenium.chrome.ChromeDriver driver, JsonPath lora, int i) {
        String name = lora.getString("matrices[" + i + "].analysis.name");
        Map<?, ?> chart = new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            Map<?, ?> c = (Map<?, ?>) driver.executeScript(LORA_CHART);
            return c != null && name.equals(c.get("matrix")) ? c : null;
        });
        String m = "matrices[" + i + "].";
        assertEquals(List.of("W", "W'"), chart.get("names"));
        long values = lora.getList(m + "base").size();
        assertEquals(List.of(values, values), chart.get("points"), name);
        assertEquals(List.of(lora.getDouble(m + "base[0]"), lora.getDouble(m + "merged[0]")),
                ((List<?>) chart.get("first")).stream().map(v -> ((Number) v).doubleValue()).toList(), name);
        List<?> marks = (List<?>) chart.get("marks");
        assertEquals(List.of(List.of("y", lora.getDouble(m + "analysis.base.threshold")),
                List.of("x", lora.getInt(m + "analysis.base.k") + 0.5)), numbers((List<?>) marks.get(0)), name + " W");
        assertEquals(List.of(List.of("y", lora.getDouble(m + "analysis.merged.threshold")),
                List.of("x", lora.getInt(m + "analysis.merged.k") + 0.5)), numbers((List<?>) marks.get(1)), name + " W'");
    }

    private static List<List<Object>> numbers(List<?> marks) {
        return marks.stream().map(p -> List.<Object>of(((List<?>) p).get(0), ((Number) ((List<?>) p).get(1)).doubleValue()))
                .toList();
    }

    private static void checkScan(JsonPath scan, Map<?, ?> chart) {
        String type = (String) chart.get("type");
        List<Map<String, Object>> modules = scan.getList("types.find { it.type == '" + type + "' }.modules");
        assertEquals(modules.stream().map(mod -> mod.get("module")).toList(), chart.get("modules"), type);
        List<?> scores = (List<?>) chart.get("scores");
        for (int i = 0; i < modules.size(); i++) {
            assertEquals(((Number) modules.get(i).get("score")).doubleValue(), ((Number) scores.get(i)).doubleValue(),
                    type + " " + modules.get(i).get("module"));
        }
    }

    private static Map<?, ?> awaitChart(org.openqa.selenium.chrome.ChromeDriver driver, String script, String what) {
        return new WebDriverWait(driver, Duration.ofSeconds(120)).withMessage(what + " chart")
                .until(d -> (Map<?, ?>) driver.executeScript(script));
    }
}
