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
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.AdaptedMatrix;
import dev.lasermesh.core.lora.BaseQuantization;
import dev.lasermesh.core.lora.BaseWeights;
import dev.lasermesh.core.lora.LaserChoice;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.lora.LoraOrderStudy;
import dev.lasermesh.core.lora.LoraStudyReport;
import dev.lasermesh.core.lora.LoraStudyRun;
import dev.lasermesh.core.lora.StudyMatrices;
import dev.lasermesh.core.lora.StudyVariant;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The LoRA/LASER order study as a mesh job (issue 10), on tiny-llama and the {@code tiny-llama-lora}
 * adapter with the fixture's configuration: one-shot laserRMT on the seven matrices of layer 5, the
 * laserrmt protocol on the first 8192 tokens in windows of 128. The orchestrator plans the variants'
 * LoRA-recipe reductions and their shards, real results computed with core ({@link CoreWorkers}) come back
 * in shuffled order, and the job's table must equal what the standalone's {@code study lora} computes in
 * this test exactly (same recipes, shards whose exact sums add up to one pass). Against the fixture's
 * independent PyTorch float64 values: every perplexity within 1e-4 relative and the ranks of both sides
 * exactly. The evaluation text is {@code sotu-2009-2021.txt}, the data root's text: its first 8192 ids are
 * those of the fixture's {@code train-2009-2016.txt} (fixture README), whose column is the reference.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class LoraStudyJobTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    private static final Path ADAPTER = Fixtures.path("tiny-llama-lora");
    private static final String REFERENCE_TEXT = "train-2009-2016.txt";
    private static final Map<String, String> REFERENCE_NAMES = Map.of(LoraOrderStudy.BASE, "base",
            LoraOrderStudy.MERGED, "merged", LoraOrderStudy.LASER, "laser5",
            LoraOrderStudy.LORA_THEN_LASER, "lora_then_laser5", LoraOrderStudy.LASER_THEN_LORA, "laser5_then_lora");
    /** A hang guard for the job's end (a minute or two normally), far above a slow shared machine; not a time bound. */
    private static final Duration STUDY_HANG_GUARD = Duration.ofMinutes(10);

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
    void aLoraStudyJobTabulatesTheStandalonesNumbersAndTheFixturesReference() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(ADAPTER.resolve("reference.json").toFile());
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "5"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 8192},
                 "study": {"kind": "lora", "adapter": "tiny-llama-lora"}}""", JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 5).run(id);
        }
        JobEntity job = JobDriver.awaitEnd(id, STUDY_HANG_GUARD);
        assertEquals(JobStatus.SUCCEEDED, job.status, () -> views.job(id).toString());
        assertEquals(64, job.totalWindows);
        assertNull(job.output, "the study's product is its table");
        LoraStudyReport mesh = Json.read(QuarkusTransaction.requiringNew()
                .call(() -> JobEntity.<JobEntity>findById(id).study), LoraStudyReport.class);

        List<LoraStudyReport.VariantResult> standalone = standalone(job.jobSpec());
        assertEquals(List.of("sotu-2009-2021.txt"), mesh.texts());
        assertEquals(5, mesh.variants().size());
        for (int i = 0; i < standalone.size(); i++) {
            LoraStudyReport.VariantResult expected = standalone.get(i);
            LoraStudyReport.VariantResult actual = mesh.variants().get(i);
            assertEquals(expected, actual, expected.name() + ": the standalone's row exactly");
            double ppl = actual.perplexity().get("sotu-2009-2021.txt");
            double pytorch = reference.at("/perplexity/" + REFERENCE_TEXT + "/" + REFERENCE_NAMES.get(actual.name())
                    + "/float64").doubleValue();
            assertTrue(Math.abs(ppl / pytorch - 1) <= 1e-4, actual.name() + ": " + ppl + " against the reference's "
                    + pytorch);
        }
        assertEquals(ranks(reference.at("/laser/k_base")), mesh.laser().onBase());
        assertEquals(ranks(reference.at("/laser/k_merged")), mesh.laser().onMerged());
        assertEquals("one-shot " + LaserRmtPolicy.NAME, mesh.laser().how());
        assertEquals(mesh.variants().getFirst().perplexity().get("sotu-2009-2021.txt"), job.baselinePerplexity);

        given().get("/api/v1/jobs/{id}/study", id).then().statusCode(409).body("error", containsString("/lora"));
        assertEquals(mesh, Json.read(given().get("/api/v1/jobs/{id}/report", id).then().statusCode(200).extract()
                .asString(), LoraStudyReport.class), "the job's report is its table");
        JsonPath chart = given().get("/api/v1/jobs/{id}/lora", id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals(5, chart.getList("study.variants").size());
        assertEquals(7, chart.getList("matrices").size());
        for (int i = 0; i < 7; i++) {
            String prefix = "matrices[" + i + "].";
            String name = chart.getString(prefix + "analysis.name");
            JsonNode matrix = reference.get("matrices").get(name);
            assertEquals(matrix.at("/base/k").intValue(), chart.getInt(prefix + "analysis.base.k"), name);
            assertEquals(matrix.at("/merged/k").intValue(), chart.getInt(prefix + "analysis.merged.k"), name);
            assertRelative(matrix.at("/base/threshold").doubleValue(), chart.getDouble(prefix + "analysis.base.threshold"),
                    1e-9, name);
            assertRelative(matrix.at("/merged/threshold").doubleValue(),
                    chart.getDouble(prefix + "analysis.merged.threshold"), 1e-9, name);
            assertRelative(matrix.at("/delta_singular_values/0").doubleValue(),
                    chart.getDouble(prefix + "analysis.deltaSingularValues[0]"), 1e-9, name);
            assertRelative(matrix.at("/delta_fro_over_W_fro").doubleValue(),
                    chart.getDouble(prefix + "analysis.deltaFroOverWFro"), 1e-9, name);
            assertRelative(matrix.at("/delta_energy_in_W_top_k_both").doubleValue(),
                    chart.getDouble(prefix + "analysis.overlap.energyBoth"), 1e-9, name);
            assertEquals(matrix.at("/shape/0").intValue() < matrix.at("/shape/1").intValue()
                    ? matrix.at("/shape/0").intValue() : matrix.at("/shape/1").intValue(),
                    chart.getList(prefix + "base").size(), name + ": the whole spectrum of W");
            assertEquals(chart.getList(prefix + "base").size(), chart.getList(prefix + "merged").size(), name);
        }
    }

    @Test
    void spectrumsScanOfTheJobsModelHasTheFixturesScores() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Fixtures.path("spectrum/snr_results_tiny-llama.json").toFile());
        String id = store.create(planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0", "modules": "q"}}""",
                JobSpec.class))).id;
        JsonPath scan = given().get("/api/v1/jobs/{id}/scan", id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertEquals("tiny-llama", scan.getString("model"));
        int modules = 0;
        for (int t = 0; t < scan.getList("types").size(); t++) {
            String type = scan.getString("types[" + t + "].type");
            List<Map<String, Object>> entries = scan.getList("types[" + t + "].modules");
            for (int m = 0; m < entries.size(); m++) {
                String module = scan.getString("types[" + t + "].modules[" + m + "].module");
                JsonNode reference = expected.get(module);
                assertEquals(reference.get("type").asText(), type, module);
                assertRelative(reference.get("snr").doubleValue(),
                        scan.getDouble("types[" + t + "].modules[" + m + "].score"), 1e-6, module);
                modules++;
            }
        }
        assertEquals(expected.size(), modules);
        given().get("/api/v1/jobs/{id}/lora", id).then().statusCode(409);
        given().get("/api/v1/jobs/no-such-job/scan").then().statusCode(404);
    }

    @Test
    void anAdapterForAnotherBaseIsABadRequestNamingTheTensor() {
        given().header(ApiKeyFilter.HEADER, "dev").contentType(ContentType.JSON).body("""
                {"version": 1, "model": "stories260K",
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "lora", "adapter": "tiny-llama-lora"}}""").post("/api/v1/jobs").then()
                .statusCode(400).body("field", equalTo("study.adapter"))
                .body("error", containsString("tensor base_model.model.model.layers.0"))
                .body("error", containsString("but must be"));
        given().header(ApiKeyFilter.HEADER, "dev").contentType(ContentType.JSON).body("""
                {"version": 1, "model": "tiny-llama",
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "maxTokens": 1024},
                 "study": {"kind": "lora", "adapter": "../../etc"}}""").post("/api/v1/jobs").then()
                .statusCode(400).body("field", equalTo("study.adapter"));
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(actual / expected - 1) <= tolerance, what + ": " + actual + " against " + expected);
    }

    private static Map<String, Integer> ranks(JsonNode node) {
        Map<String, Integer> ranks = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ranks.put(e.getKey(), e.getValue().intValue());
        }
        return ranks;
    }

    /** What {@code lasermesh study lora} computes (StudyLoraCommand's planning and evaluation), one text. */
    private static List<LoraStudyReport.VariantResult> standalone(JobSpec spec) {
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        Path text = Path.of(spec.evaluation().texts().getFirst());
        try (ModelSource model = ModelSource.open(MODEL); TextTokenizer tokenizer = TextTokenizer.load(MODEL);
             LoraAdapter lora = LoraAdapter.open(ADAPTER)) {
            BaseWeights weights = new BaseWeights(model, BaseQuantization.NONE);
            List<AdaptedMatrix> adapted = lora.resolve(model);
            StudyMatrices matrices = new StudyMatrices(weights, lora, adapted, linearAlgebra);
            LaserChoice laser = LoraOrderStudy.oneShot(model.catalogue().select("5", null), matrices,
                    new LaserRmtPolicy(), linearAlgebra);
            List<StudyVariant> variants = LoraOrderStudy.variants(List.of(),
                    adapted.stream().map(a -> a.matrix().name()).toList(), laser);
            DecoderWeights decoder = DecoderWeights.bind(model.decoderConfig(), model.tensors());
            List<LoraStudyRun.Text> texts = List.of(new LoraStudyRun.Text(text.getFileName().toString(),
                    Evaluation.plan(model.decoderConfig(), tokenizer, List.of(text),
                            MergedPerplexity.protocol(spec.evaluation()))));
            return LoraStudyRun.evaluate(decoder, texts, variants, matrices, 2, 64L << 20, (v, t, p) -> { });
        }
    }
}
