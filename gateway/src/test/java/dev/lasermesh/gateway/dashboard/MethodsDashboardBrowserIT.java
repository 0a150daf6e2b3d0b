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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The job page's methods-study chart in a real headless Chromium (issue 14), against the gateway with a real
 * Kafka broker and a real PostgreSQL: a methods study job on tiny-llama (layer 5, budgets 0.8 and 0.4,
 * 256 calibration tokens, 1024 evaluation tokens), its tasks answered with core's components
 * ({@link CoreWorkers}), is opened on its page. The chart must hold one line per method with one point
 * (budget, perplexity) per budget exactly as {@code /methods} gives them, and the base perplexity as its
 * reference line within the drawn y axis (checked in ECharts' own options and axis); the table lists the base and every cell with its
 * perplexity; the quantization study's and the LoRA panels stay hidden; the console holds no error.
 * Screenshot to {@code target/screenshots/}.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class MethodsDashboardBrowserIT {

    private static final Path SHOTS = Path.of("target/screenshots");
    /** A hang guard for the job's end (seconds normally); not a time bound. */
    private static final Duration STUDY_HANG_GUARD = Duration.ofMinutes(10);
    /** What ECharts holds for the methods chart: the lines, their points and the marked base line. */
    private static final String METHODS_CHART = """
            const c = echarts.getInstanceByDom(document.getElementById('chart-methods'));
            if (!c) { return null; }
            const o = c.getOption();
            return { names: o.series.map(s => s.name), points: o.series.map(s => s.data),
                     base: o.series.flatMap(s => s.markLine && s.markLine.data ? s.markLine.data.map(d => d.yAxis) : []),
                     yExtent: c.getModel().getComponent('yAxis').axis.scale.getExtent() };""";

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
    void theMethodsJobPageDrawsPerplexityAgainstBudgetPerMethodWithTheBaseLine() throws Exception {
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5"},
                 "calibration": {"text": "moby-dick.txt", "tokens": 256, "window": 128},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024},
                 "study": {"kind": "methods", "budgets": [0.8, 0.4]}}""", JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 21).run(id);
        }
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, STUDY_HANG_GUARD).status);
        JsonPath methods = given().get("/api/v1/jobs/{id}/methods", id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        List<String> names = methods.getList("methods.method");
        assertEquals(List.of("svd", "whitened", "feature"), names);
        List<List<List<Double>>> expected = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<List<Double>> line = new ArrayList<>();
            for (int b = 0; b < 2; b++) {
                String point = "methods[" + i + "].points[" + b + "].";
                line.add(List.of(methods.getDouble(point + "budget"), methods.getDouble(point + "perplexity")));
            }
            expected.add(line);
        }

        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            var driver = chromium.driver;
            driver.get(base + "job.html?id=" + id);
            Map<?, ?> chart = new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage("methods chart")
                    .until(d -> (Map<?, ?>) driver.executeScript(METHODS_CHART));
            assertEquals(names, chart.get("names"));
            assertEquals(expected, doubles(chart.get("points")), "each method's (budget, perplexity) points");
            assertEquals(List.of(methods.getDouble("basePerplexity")),
                    ((List<?>) chart.get("base")).stream().map(v -> ((Number) v).doubleValue()).toList(), "base line");
            List<?> extent = (List<?>) chart.get("yExtent");
            double basePerplexity = methods.getDouble("basePerplexity");
            assertTrue(((Number) extent.get(0)).doubleValue() < basePerplexity
                    && basePerplexity < ((Number) extent.get(1)).doubleValue(), "the base line lies within the y axis "
                    + extent);

            List<String> rows = driver.findElements(By.cssSelector("#methods-table tbody tr")).stream()
                    .map(r -> r.getText()).toList();
            assertEquals(7, rows.size(), rows.toString());
            assertTrue(rows.get(0).startsWith("base 1.00 " + String.format(Locale.ROOT, "%.6f",
                    methods.getDouble("basePerplexity"))), rows.get(0));
            for (int i = 0; i < 3; i++) {
                for (int b = 0; b < 2; b++) {
                    List<Double> point = expected.get(i).get(b);
                    String row = rows.get(1 + 2 * i + b);
                    assertTrue(row.startsWith(String.format(Locale.ROOT, "%s %.2f %.6f", names.get(i), point.get(0),
                            point.get(1))), row);
                }
            }
            assertTrue(driver.findElement(By.id("study")).getDomAttribute("hidden") != null,
                    "the quantization study's panel stays hidden");
            assertTrue(driver.findElement(By.id("lora")).getDomAttribute("hidden") != null, "the LoRA panel stays hidden");
            driver.executeScript("document.getElementById('methods').scrollIntoView()");
            chromium.screenshot(SHOTS.resolve("methods-1-perplexity-vs-budget.png"));

            List<String> errors = chromium.console().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
            assertEquals(List.of(), errors, "console errors");
        }
    }

    private static List<List<List<Double>>> doubles(Object series) {
        return ((List<?>) series).stream().map(line -> ((List<?>) line).stream().map(point -> ((List<?>) point).stream()
                .map(v -> ((Number) v).doubleValue()).toList()).toList()).toList();
    }
}
