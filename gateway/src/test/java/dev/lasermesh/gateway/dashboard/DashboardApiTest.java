package dev.lasermesh.gateway.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.api.ApiKeyFilter;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.orchestrator.Orchestrator;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages and read-only endpoints on a one-shot laserRMT job over two tiny-llama matrices
 * whose decisions {@code tiny-llama/reference.json} holds (PyTorch/NumPy): the ESD chart's laserRMT line
 * and rank, the compression table's factored sizes at that rank, the output listing; 400 naming the
 * query parameter at fault, 404 and 409 where there is nothing to show.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class DashboardApiTest {

    private static final String DOWN = "model.layers.5.mlp.down_proj.weight";
    private static final String Q = "model.layers.2.self_attn.q_proj.weight";
    /** Relative: the reference's float64 SVD against the analyzer's SVD of the F32 weights (4e-8 seen). */
    private static final double THRESHOLD_TOLERANCE = 1e-6;

    @Inject
    Orchestrator orchestrator;
    @Inject
    GatewayConfig config;

    private static String job;

    /** Runs the job once, in the first test that needs it (RestAssured points at the app only within tests). */
    private String job() {
        if (job != null) {
            return job;
        }
        String id = given().header(ApiKeyFilter.HEADER, "dev").contentType(ContentType.JSON)
                .body("""
                        {"version": 1, "model": "tiny-llama", "matrices": {"layers": "2,5", "modules": "q,down"},
                         "output": "factored"}""")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 5).run(id);
        }
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, Duration.ofMinutes(1)).status);
        job = id;
        return job;
    }

    private static JsonPath spectrum(String job, String tensor, String scale) {
        return given().queryParam("bins", 50).queryParam("scale", scale)
                .get("/api/v1/jobs/{id}/matrices/{tensor}/spectrum", job, tensor)
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    @Test
    void theSpectrumShowsTheReferenceLaserRmtDecisionAmongAllSevenPolicies() {
        Map<String, double[]> reference = Map.of(DOWN, new double[] {0.606229331109651, 89, 256},
                Q, new double[] {0.5046402618243401, 58, 256});
        reference.forEach((tensor, ref) -> {
            JsonPath chart = spectrum(job(), tensor, "singular");
            List<Map<String, Object>> policies = chart.getList("policies");
            assertEquals(7, policies.size(), tensor);
            Map<String, Object> laser = policies.getFirst();
            assertEquals("laserrmt", chart.getString("policies[0].spec.policy"));
            assertEquals(ref[0], ((Number) laser.get("line")).doubleValue(), THRESHOLD_TOLERANCE * ref[0], tensor);
            assertEquals((int) ref[1], laser.get("k"), tensor);
            assertEquals(true, laser.get("ofJob"), tensor);
            assertEquals(50, chart.getList("counts").size());
            assertEquals((long) ref[2], chart.getList("counts", Long.class).stream().mapToLong(Long::longValue).sum(),
                    tensor + ": every singular value binned");
            assertEquals(SpectrumChart.CURVE_POINTS, chart.getList("mpCurve").size());
        });
        double line = spectrum(job(), DOWN, "squared").getDouble("policies[0].line");
        double square = 0.606229331109651 * 0.606229331109651;
        assertEquals(square, line, 2 * THRESHOLD_TOLERANCE * square, "the squared scale squares the threshold");
    }

    @Test
    void badQueryParametersAreRejectedNamingThem() {
        String path = "/api/v1/jobs/{id}/matrices/{tensor}/spectrum";
        given().queryParam("bins", 0).get(path, job(), DOWN).then().statusCode(400)
                .body("field", equalTo("bins")).body("error", containsString("got 0"));
        given().queryParam("bins", "abc").get(path, job(), DOWN).then().statusCode(400).contentType(ContentType.JSON)
                .body("field", equalTo("bins")).body("error", containsString("bins must be an integer"));
        given().queryParam("scale", "log").get(path, job(), DOWN).then().statusCode(400)
                .body("field", equalTo("scale")).body("error", containsString("\"log\""));
        given().get(path, job(), "model.layers.0.mlp.up_proj.weight").then().statusCode(404)
                .body("error", containsString("has no matrix"));
        given().get(path, "no-such-job", DOWN).then().statusCode(404);
        given().get("/api/v1/jobs/no-such-job/compression").then().statusCode(404);
    }

    @Test
    void compressionCountsTheFactoredFormAtTheKeptRanks() {
        JsonPath table = given().get("/api/v1/jobs/{id}/compression", job()).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("q", "down"), table.getList("modules.module"));
        assertEquals(4, table.getInt("total.matrices"));
        assertEquals(4, table.getInt("total.reduced"), "one-shot reduces every matrix");
        JsonPath matrices = given().get("/api/v1/jobs/{id}/matrices", job()).then().statusCode(200).extract().jsonPath();
        Map<String, Integer> ranks = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            ranks.put(matrices.getString("[" + i + "].matrix.tensor"), matrices.getInt("[" + i + "].reduction.rank"));
        }
        assertEquals(89, ranks.get(DOWN), "the reference's laserRMT rank is the one kept");
        assertEquals(58, ranks.get(Q));
        // F32 weights: q 256x256 and down 256x704 in layers 2 and 5.
        long q = (ranks.get(Q) + ranks.get("model.layers.5.self_attn.q_proj.weight")) * 512L;
        long down = (ranks.get(DOWN) + ranks.get("model.layers.2.mlp.down_proj.weight")) * 960L;
        assertEquals(q, table.getLong("modules[0].parametersFactored"));
        assertEquals(down, table.getLong("modules[1].parametersFactored"));
        assertEquals(2 * 256L * 704 * 4, table.getLong("modules[1].bytesBefore"));
        assertEquals(2 * 256L * 704, table.getLong("modules[1].parametersDense"), "a dense reconstruction keeps the shape");
        assertEquals((q + down) * 4, table.getLong("total.bytesWritten"), "a factored output holds the factors");
    }

    @Test
    void theOutputFolderIsListedOnceTheJobSucceeded() {
        given().get("/api/v1/jobs/{id}/output", job()).then().statusCode(200)
                .body("folder", equalTo("jobs/" + job() + "/model"))
                .body("files.name", hasItems("config.json", "lasermesh-report.json"));
        String running = given().header(ApiKeyFilter.HEADER, "dev").contentType(ContentType.JSON)
                .body("{\"version\": 1, \"model\": \"tiny-llama\", \"matrices\": {\"layers\": \"0\", \"modules\": \"k\"}}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().get("/api/v1/jobs/{id}/output", running).then().statusCode(409)
                .body("error", containsString("no output model"));
        given().get("/api/v1/jobs/{id}/matrices/{tensor}/spectrum", running, "model.layers.0.self_attn.k_proj.weight")
                .then().statusCode(409).body("error", containsString("not been analysed yet"));
    }

    @Test
    void theFormListsTheModelsAndTextsUnderTheRoots() {
        given().get("/api/v1/inputs").then().statusCode(200)
                .body("models", hasItem("tiny-llama")).body("texts", hasItem("sotu-2009-2021.txt"));
    }

    @Test
    void thePagesAndTheChartingLibraryAreServedFromTheJar() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Submit a job"));
        given().get("/job.html").then().statusCode(200).body(containsString("webjars/echarts/dist/echarts.min.js"));
        for (String script : List.of("api.js", "charts.js", "format.js", "job-page.js", "jobs-page.js", "submit-form.js")) {
            given().get("/js/" + script).then().statusCode(200).contentType(containsString("javascript"));
        }
        String echarts = given().get("/webjars/echarts/dist/echarts.min.js").then().statusCode(200).extract().asString();
        assertTrue(echarts.length() > 500_000 && echarts.contains("getInstanceByDom"), "the ECharts bundle itself");
    }
}
