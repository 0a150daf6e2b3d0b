package dev.lasermesh.gateway.orchestrator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.study.LaserChoice;
import dev.lasermesh.core.study.LaserMatrix;
import dev.lasermesh.core.study.QuantizationStudy;
import dev.lasermesh.core.study.StudyResult;
import dev.lasermesh.core.study.StudyRow;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quantization study as a mesh job, on tiny-llama with the LASER matrices and ranks of
 * {@code quant/reference.json} and its protocol (laserrmt, 64 windows of 128): the orchestrator plans
 * the variants' reductions and shards, real results computed with core ({@link CoreWorkers}) come back
 * in shuffled order, and the job's table must equal what the standalone's {@code study quantization}
 * computes in this test — bytes exactly, perplexities exactly too: the evaluators' shards return exact
 * decimal sums that add up to the one-pass sums ({@link MergedPerplexity}), and the quantized overlays
 * hold bit for bit the values the standalone computes with. Against the fixture's independent PyTorch
 * values: perplexities within 1e-4 relative, bytes exact, as core's reference test checks.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class QuantizationStudyJobTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    /** A hang guard for the job's end (seconds normally), far above a slow shared machine; not a time bound. */
    private static final Duration ASSEMBLY_HANG_GUARD = Duration.ofMinutes(10);

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

    @Test
    void aStudyJobWithGivenRanksTabulatesTheStandalonesNumbers() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(Fixtures.path("quant/reference.json").toFile());
        List<LaserMatrix> laser = new ArrayList<>();
        StringBuilder given = new StringBuilder();
        reference.get("laser_matrices").properties().forEach(e -> {
            laser.add(new LaserMatrix(e.getKey(), e.getValue().get("k").intValue()));
            given.append(given.isEmpty() ? "" : ", ").append("{\"tensor\": \"").append(e.getKey())
                    .append("\", \"rank\": ").append(e.getValue().get("k").intValue()).append('}');
        });
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0-2", "modules": "q,k,o"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 8192},
                 "study": {"kind": "quantization", "laser": [%s]}}""".formatted(given), JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 3).run(id);
        }
        JobEntity job = JobDriver.awaitEnd(id, ASSEMBLY_HANG_GUARD);
        assertEquals(JobStatus.SUCCEEDED, job.status, () -> views.job(id).toString());
        assertEquals(64, job.totalWindows);
        StudyResult mesh = Json.read(QuarkusTransaction.requiringNew()
                .call(() -> JobEntity.<JobEntity>findById(id).study), StudyResult.class);

        StudyResult standalone = standalone(job.jobSpec(), new LaserChoice("reference.json", laser));
        assertEquals(9, mesh.rows().size());
        assertEquals(standalone.laser().matrices(), mesh.laser().matrices());
        for (int i = 0; i < standalone.rows().size(); i++) {
            StudyRow expected = standalone.rows().get(i);
            StudyRow actual = mesh.rows().get(i);
            String name = expected.variant().name();
            assertEquals(expected.variant(), actual.variant());
            assertEquals(expected.perplexity(), actual.perplexity(), name + ": the standalone's perplexity exactly");
            assertEquals(expected.linearBytes(), actual.linearBytes(), name);
            assertEquals(expected.modelBytes(), actual.modelBytes(), name);
            assertEquals(expected.compression(), actual.compression(), name);
            assertEquals(expected.factoredMatrices(), actual.factoredMatrices(), name);

            JsonNode ref = reference.get("variants").get(name);
            double pytorch = ref.at("/perplexity/float64").doubleValue();
            assertTrue(Math.abs(actual.perplexity() / pytorch - 1) <= 1e-4, name + ": " + actual.perplexity()
                    + " against the reference's " + pytorch);
            assertEquals(ref.get("linear_bytes").longValue(), actual.linearBytes(), name);
            assertEquals(ref.get("model_bytes").longValue(), actual.modelBytes(), name);
        }
        assertEquals(mesh.rows().getFirst().perplexity(), job.baselinePerplexity);
        given().get("/api/v1/jobs/{id}/output", id).then().statusCode(409);

        JsonPath chart = given().get("/api/v1/jobs/{id}/study", id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(mesh.laser().source(), chart.getString("laserSource"));
        List<Map<String, Object>> points = chart.getList("points");
        assertEquals(mesh.rows().size(), points.size());
        for (int i = 0; i < points.size(); i++) {
            StudyRow row = mesh.rows().get(i);
            Map<String, Object> point = points.get(i);
            assertEquals(row.variant().name(), point.get("variant"));
            assertEquals(row.linearBytes(), ((Number) point.get("linearBytes")).longValue(), row.variant().name());
            assertEquals(row.modelBytes(), ((Number) point.get("modelBytes")).longValue(), row.variant().name());
            assertEquals(row.perplexity(), chart.getDouble("points[" + i + "].perplexity"), row.variant().name());
            assertEquals(row.compression(), chart.getDouble("points[" + i + "].compression"), row.variant().name());
        }
    }

    @Test
    void aJobWithoutAStudyHasNoStudyChart() {
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0", "modules": "q"}}""",
                JobSpec.class))).id;
        given().get("/api/v1/jobs/{id}/study", id).then().statusCode(409);
        given().get("/api/v1/jobs/no-such-job/study").then().statusCode(404);
    }

    @Test
    void aGivenLaserMatrixMustBeSelectedAndFitItsRank() {
        ContractException unselected = org.junit.jupiter.api.Assertions.assertThrows(ContractException.class,
                () -> planner.plan(Json.read("""
                        {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0"},
                         "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024},
                         "study": {"kind": "quantization", "laser": [
                           {"tensor": "model.layers.3.mlp.down_proj.weight", "rank": 4}]}}""", JobSpec.class)));
        assertEquals("study.laser[0].tensor", unselected.field());
        ContractException tooHigh = org.junit.jupiter.api.Assertions.assertThrows(ContractException.class,
                () -> planner.plan(Json.read("""
                        {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0"},
                         "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024},
                         "study": {"kind": "quantization", "laser": [
                           {"tensor": "model.layers.0.self_attn.q_proj.weight", "rank": 100000}]}}""",
                        JobSpec.class)));
        assertEquals("study.laser[0].rank", tooHigh.field());
        ContractException noEvaluation = org.junit.jupiter.api.Assertions.assertThrows(ContractException.class,
                () -> planner.plan(Json.read("""
                        {"version": 1, "model": "tiny-llama", "study": {"kind": "quantization"}}""", JobSpec.class)));
        assertEquals("evaluation", noEvaluation.field());
    }

    /** What {@code lasermesh study quantization} computes (StudyCommand's evaluation loop). */
    private static StudyResult standalone(JobSpec spec, LaserChoice laser) {
        try (ModelSource model = ModelSource.open(MODEL);
             TextTokenizer tokenizer = TextTokenizer.load(MODEL)) {
            DecoderWeights weights = DecoderWeights.bind(model.decoderConfig(), model.tensors());
            WindowPlan plan = Evaluation.plan(model.decoderConfig(), tokenizer, spec.evaluation().texts().stream()
                    .map(Path::of).toList(), MergedPerplexity.protocol(spec.evaluation()));
            QuantizationStudy study = new QuantizationStudy(model, laser, LinearAlgebras.create());
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan, 2, 0)) {
                return study.evaluate((variant, w) -> evaluator.evaluate(weights.baseState().withAll(w.overlays()),
                        EvalProgress.NONE).perplexity(), Map.of());
            }
        }
    }
}
