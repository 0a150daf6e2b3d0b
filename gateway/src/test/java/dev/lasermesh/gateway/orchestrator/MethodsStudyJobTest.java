package dev.lasermesh.gateway.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.api.ApiKeyFilter;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The methods study as a mesh job (issue 14), on tiny-llama with a configuration of
 * {@code corpus/reference.json}: calibrated on the first 2048 tokens of moby-dick (16 windows of 128), all 42
 * linears replaced at budget r = 0.4, the laserrmt protocol on the first 8192 tokens of sotu-2009-2021.txt
 * (64 windows of 128, the fixture's {@code sotu[0:8192]}). One budget keeps the test short (the fixture
 * covers 0.8, 0.6 and 0.4 alike; 0.4 separates the methods most). The calibration shards, the cells'
 * reductions (core's {@code MethodStudy.cell}) and the evaluation shards are answered by core
 * ({@link CoreWorkers}) in shuffled order; the job's table must equal what the standalone's {@code study
 * methods} computes in this test exactly (the same core code, one-thread decompositions and calibration
 * in both, shards whose exact sums add up to one pass), and every perplexity lie within 1e-4 relative of
 * the fixture's independent PyTorch float32-forward value (the README expects ~1e-6).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class MethodsStudyJobTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    private static final Map<String, String> FIXTURE_METHODS = Map.of("svd", "A", "whitened", "B", "feature", "C");
    private static final double FIXTURE_TOLERANCE = 1e-4;
    /** A hang guard for the job's end (a minute or two normally), far above a slow shared machine; not a time bound. */
    private static final Duration STUDY_HANG_GUARD = Duration.ofMinutes(10);
    private static final String SPEC = """
            {"version": 1, "model": "tiny-llama",
             "calibration": {"text": "moby-dick.txt", "tokens": 2048, "window": 128},
             "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 8192},
             "study": {"kind": "methods", "budgets": [0.4]}}""";

    @Inject
    Orchestrator orchestrator;
    @Inject
    JobPlanner planner;
    @Inject
    JobStore store;
    @Inject
    JobViews views;
    @Inject
    GatewayConfig config;

    @TempDir
    Path scratch;

    @Test
    void aMethodsStudyJobTabulatesTheStandalonesNumbersAndTheFixturesReference() throws IOException {
        String id = store.create(planner.plan(Json.read(SPEC, JobSpec.class))).id;
        assertEquals(JobStatus.CALIBRATING, JobDriver.awaitEnd(id, Duration.ZERO).status);
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 14).run(id);
        }
        JobEntity job = JobDriver.awaitEnd(id, STUDY_HANG_GUARD);
        assertEquals(JobStatus.SUCCEEDED, job.status, () -> views.job(id).toString());
        assertEquals(64, job.totalWindows);
        assertNull(job.output, "the study's product is its table");
        MethodStudy.Report mesh = Json.read(QuarkusTransaction.requiringNew()
                .call(() -> JobEntity.<JobEntity>findById(id).study), MethodStudy.Report.class);

        MethodStudy.Result standalone = standalone(job.jobSpec());
        assertEquals(standalone, mesh.result(), "the standalone's table exactly");
        assertEquals(job.jobSpec().evaluation().texts(), mesh.texts());
        assertEquals(job.jobSpec().calibration().text(), mesh.calibration());

        JsonNode reference = new ObjectMapper().readTree(Fixtures.path("corpus/reference.json").toFile())
                .at("/perplexity/calibration=moby-dick/sotu[0:8192]/float32");
        assertClose(reference.get("base").doubleValue(), mesh.result().basePerplexity(), "base");
        assertEquals(mesh.result().basePerplexity(), job.baselinePerplexity);
        assertEquals(List.of("svd", "whitened", "feature"), mesh.result().rows().stream().map(MethodStudy.Row::method)
                .toList());
        for (MethodStudy.Row row : mesh.result().rows()) {
            assertEquals(0.4, row.budget());
            assertClose(reference.at("/" + FIXTURE_METHODS.get(row.method()) + "/0.4").doubleValue(), row.perplexity(),
                    row.method());
            assertTrue(row.meanActivationError() > 0 && row.meanActivationError() < 1, row.toString());
        }

        assertEquals(mesh, Json.read(given().get("/api/v1/jobs/{id}/report", id).then().statusCode(200).extract()
                .asString(), MethodStudy.Report.class), "the job's report is its table");
        JsonPath chart = given().get("/api/v1/jobs/{id}/methods", id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(mesh.result().basePerplexity(), chart.getDouble("basePerplexity"));
        assertEquals(List.of("svd", "whitened", "feature"), chart.getList("methods.method"));
        for (int i = 0; i < 3; i++) {
            MethodStudy.Row row = mesh.result().rows().get(i);
            String point = "methods[" + i + "].points[0].";
            assertEquals(1, chart.getList("methods[" + i + "].points").size());
            assertEquals(0.4, chart.getDouble(point + "budget"), row.method());
            assertEquals(row.perplexity(), chart.getDouble(point + "perplexity"), row.method());
        }
        given().get("/api/v1/jobs/{id}/study", id).then().statusCode(409).body("error", containsString("/methods"));
    }

    @Test
    void badMethodsStudiesAreBadRequestsNamingTheField() {
        post("""
                {"version": 1, "model": "tiny-llama",
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "methods"}}""", "calibration");
        post("""
                {"version": 1, "model": "tiny-llama", "calibration": {"text": "moby-dick.txt"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "methods", "budgets": [0.8, 1.5]}}""", "study.budgets[1]");
        post("""
                {"version": 1, "model": "tiny-llama", "calibration": {"text": "moby-dick.txt"},
                 "strategy": {"strategy": "snr-greedy", "count": 2},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "methods"}}""", "strategy");
        post("""
                {"version": 1, "model": "tiny-llama", "calibration": {"text": "moby-dick.txt", "tokens": 64},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "methods"}}""", "calibration.text");
    }

    private static void post(String spec, String field) {
        given().header(ApiKeyFilter.HEADER, "dev").contentType(ContentType.JSON).body(spec).post("/api/v1/jobs").then()
                .statusCode(400).body("field", equalTo(field));
    }

    /**
     * What {@code lasermesh study methods tiny-llama --text sotu-2009-2021.txt --max-tokens 8192 --calibration
     * moby-dick.txt --calibration-tokens 2048 --budgets 0.4} computes: core's calibration pass and
     * {@link MethodStudy#run} over every linear of the decoder layers.
     */
    private MethodStudy.Result standalone(JobSpec spec) {
        LinearAlgebra linearAlgebra = LinearAlgebras.create(CoreWorkers.CALIBRATION_THREADS);
        try (ModelSource source = ModelSource.open(MODEL); TextTokenizer tokenizer = TextTokenizer.load(MODEL)) {
            DecoderWeights weights = DecoderWeights.bind(source.decoderConfig(), source.tensors());
            List<MatrixRef> matrices = source.catalogue().matrices().stream()
                    .filter(m -> LinearInput.ofTensor(m.name()) != null && m.layer() >= 0).toList();
            WindowPlan calibration = Evaluation.plan(source.decoderConfig(), tokenizer,
                    List.of(Path.of(spec.calibration().text())), spec.calibration().windowProtocol());
            CalibrationStore statistics = CalibrationPass.run(weights, calibration, matrices,
                    scratch.resolve("calibration"), CoreWorkers.CALIBRATION_THREADS, CalibrationPass.Progress.NONE);
            WindowPlan plan = Evaluation.plan(source.decoderConfig(), tokenizer,
                    spec.evaluation().texts().stream().map(Path::of).toList(), MergedPerplexity.protocol(spec.evaluation()));
            List<MethodDecompositions> methods = Arrays.stream(ReductionMethod.values())
                    .map(m -> new MethodDecompositions(m, statistics, linearAlgebra)).toList();
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan, 2, 0)) {
                return MethodStudy.run(source, matrices, methods, spec.study().budgets(), overlays -> evaluator.evaluate(
                        weights.baseState().withAll(overlays), EvalProgress.NONE).perplexity());
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual / expected - 1) <= FIXTURE_TOLERANCE, what + ": " + actual + " against the "
                + "reference's " + expected);
    }
}
