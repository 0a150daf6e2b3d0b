package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.CalibrationShard;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.JobDriver;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import dev.lasermesh.gateway.store.TaskType;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job with a calibrated method (DESIGN §7.4) through the mesh, on tiny-llama with the moby-dick
 * calibration of {@code corpus/reference.json} (2048 tokens, 16 windows of 128): the gateway shards the
 * calibration windows, the evaluators' statistics (real, computed with core by {@link CoreWorkers}) are
 * merged, the analyses and reductions apply the method, and the report's {@code method} section and
 * per-matrix entries must equal what the standalone's {@code reduce --method … --calibration …}
 * computes in this test, exactly (the shards merge to one pass's statistics bit for bit; the forward pass
 * runs on as many OpenBLAS threads in both, since its float32 products may round differently for another
 * thread count). Against the
 * fixture's independent float64 NumPy values: activation and weight errors within 1e-5 relative, the
 * README's safe tolerance for X from a float32 forward pass.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class CalibratedJobTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    /** A hang guard for the job's end (seconds normally), far above a slow shared machine; not a time bound. */
    private static final Duration ASSEMBLY_HANG_GUARD = Duration.ofMinutes(10);
    private static final double FIXTURE_TOLERANCE = 1e-5;
    /** Two layers, two input sites: q_proj (the input RMSNorm's output) and down_proj (silu(gate)·up). */
    private static final String SPEC = """
            {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0,3", "modules": "q,down"},
             "policy": {"policy": "fraction", "fraction": 0.25}, "method": "%s",
             "calibration": {"text": "moby-dick.txt", "tokens": 2048, "window": 128}}""";

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
    void aWhitenedJobReportsTheStandalonesNumbers() throws IOException {
        meshEqualsStandalone(ReductionMethod.WHITENED, "B");
    }

    @Test
    void aFeatureJobReportsTheStandalonesNumbers() throws IOException {
        meshEqualsStandalone(ReductionMethod.FEATURE, "C");
    }

    @Test
    void aCalibratedMethodMustCalibrateDecoderLinears() {
        ContractException tooShort = assertThrows(ContractException.class, () -> planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0", "modules": "q"}, "method": "whitened",
                 "calibration": {"text": "moby-dick.txt", "tokens": 1, "window": 128}}""", JobSpec.class)));
        assertEquals("calibration.text", tooShort.field(), tooShort.getMessage());
        ContractException study = assertThrows(ContractException.class, () -> planner.plan(Json.read("""
                {"version": 1, "model": "tiny-llama", "matrices": {"layers": "0", "modules": "q"}, "method": "feature",
                 "calibration": {"text": "moby-dick.txt"},
                 "evaluation": {"texts": ["sotu-2009-2021.txt"], "window": 128, "maxTokens": 1024},
                 "study": {"kind": "quantization"}}""", JobSpec.class)));
        assertEquals("method", study.field());
    }

    /**
     * The merge runs outside the job's transaction ({@link CalibrationMerger}); when it fails (here a shard
     * whose statistics folder is gone) the job fails with the reason instead of waiting for analyses.
     */
    @Test
    void aFailedMergeFailsTheJobWithTheReason() {
        String id = store.create(planner.plan(Json.read(SPEC.formatted("whitened"), JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 8).run(id, d -> {
                if (d.task().type != TaskType.EVALUATION) {
                    return d;
                }
                EvaluationTask task = Json.read(d.task().payload, EvaluationTask.class);
                if (!task.calibrates() || task.shard().first() != 0) {
                    return d;
                }
                EvaluationOutput computed = ((EvaluationResult) d.result()).output();
                return d.instead(EvaluationResult.completed(task, new EvaluationOutput(null, computed.totalWindows(),
                        computed.seconds(), computed.tokensPerSecond(), computed.backend(), null,
                        new CalibrationShard("jobs/" + id + "/calibration/lost", computed.calibration().windows()))));
            });
        }
        assertEquals(JobStatus.FAILED, JobDriver.awaitEnd(id, ASSEMBLY_HANG_GUARD).status);
        String reason = views.job(id).errors().getLast().message();
        assertTrue(reason.startsWith("merging the calibration statistics failed: ")
                && reason.contains("calibration/lost does not exist"), reason);
    }

    /**
     * A gateway that stopped between the last shard's transaction and the merge leaves a calibrating job with
     * every shard in and nothing to trigger the merge (here the shards' results are stored without the
     * orchestrator): the leader's periodic check merges it, and the job goes on to the end.
     */
    @Test
    void anUnmergedJobIsMergedByThePeriodicCheck() {
        String id = store.create(planner.plan(Json.read(SPEC.formatted("feature"), JobSpec.class))).id;
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            for (TaskEntity shard : QuarkusTransaction.requiringNew().call(() -> TaskEntity.ofRequest(id,
                    CalibrationStage.REQUEST))) {
                EvaluationOutput output = workers.evaluate(Json.read(shard.payload, EvaluationTask.class)).output();
                QuarkusTransaction.requiringNew().run(() -> {
                    TaskEntity stored = TaskEntity.byId(shard.taskId).orElseThrow();
                    stored.status = TaskStatus.DONE;
                    stored.output = Json.write(output);
                });
            }
            assertEquals(JobStatus.CALIBRATING, JobDriver.awaitEnd(id, Duration.ZERO).status, "premise: not merged");
            new JobDriver(orchestrator, workers, 9).run(id);
        }
        assertEquals(JobStatus.SUCCEEDED, JobDriver.awaitEnd(id, ASSEMBLY_HANG_GUARD).status, () -> views.job(id)
                .toString());
    }

    private void meshEqualsStandalone(ReductionMethod method, String fixtureMethod) throws IOException {
        String id = store.create(planner.plan(Json.read(SPEC.formatted(method.cliName()), JobSpec.class))).id;
        assertEquals(JobStatus.CALIBRATING, JobDriver.awaitEnd(id, Duration.ZERO).status);
        try (CoreWorkers workers = new CoreWorkers(config.artifacts())) {
            new JobDriver(orchestrator, workers, 7).run(id);
        }
        JobEntity job = JobDriver.awaitEnd(id, ASSEMBLY_HANG_GUARD);
        assertEquals(JobStatus.SUCCEEDED, job.status, () -> views.job(id).toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode mesh = json.readTree(config.artifacts().resolve(job.output).resolve(ReducedModelWriter.REPORT_FILE)
                .toFile());
        JsonNode standalone = json.readTree(standaloneReport(job.jobSpec(), method).toFile());

        assertEquals(withoutSeconds(standalone.get("matrices")), withoutSeconds(mesh.get("matrices")),
                "the per-matrix entries of the standalone");
        JsonNode meshMethod = mesh.get("method");
        JsonNode standaloneMethod = standalone.get("method");
        assertEquals(method.cliName(), meshMethod.get("name").asText());
        assertEquals(standaloneMethod.get("spectrum"), meshMethod.get("spectrum"));
        assertEquals(standaloneMethod.get("matrices"), meshMethod.get("matrices"), "the standalone's errors exactly");
        assertEquals(4, meshMethod.get("matrices").size());

        JsonNode reference = json.readTree(Fixtures.path("corpus/reference.json").toFile());
        meshMethod.get("matrices").properties().forEach(e -> {
            JsonNode ref = reference.at("/matrices/" + e.getKey().replace("/", "~1"));
            JsonNode expected = ref.at("/calibrations/moby-dick/methods/" + fixtureMethod + "/quarter");
            assertEquals(expected.get("k").intValue(), e.getValue().get("rank").intValue(), e.getKey());
            assertClose(expected.get("act_rel_err").doubleValue(), e.getValue().get("activation_error").doubleValue(),
                    e.getKey() + " activation error");
            assertClose(expected.get("weight_fro_err").doubleValue() / ref.get("weight_fro_norm").doubleValue(),
                    e.getValue().get("relative_weight_error").doubleValue(), e.getKey() + " weight error");
        });
    }

    /** What {@code lasermesh reduce --method … --calibration moby-dick.txt --calibration-tokens 2048} writes. */
    private Path standaloneReport(JobSpec spec, ReductionMethod method) {
        LinearAlgebra linearAlgebra = LinearAlgebras.create(CoreWorkers.CALIBRATION_THREADS);
        Path out = scratch.resolve("standalone");
        try (ModelSource source = ModelSource.open(MODEL);
             TextTokenizer tokenizer = TextTokenizer.load(MODEL)) {
            List<MatrixRef> selected = source.catalogue().select(spec.matrices().layers(), spec.matrices().modules());
            WindowPlan plan = Evaluation.plan(source.decoderConfig(), tokenizer,
                    List.of(Path.of(spec.calibration().text())), spec.calibration().windowProtocol());
            CalibrationStore statistics = CalibrationPass.run(DecoderWeights.bind(source.decoderConfig(),
                    source.tensors()), plan, selected, scratch.resolve("calibration"), CoreWorkers.CALIBRATION_THREADS,
                    CalibrationPass.Progress.NONE);
            MethodTruncation truncation = new MethodTruncation(new MethodDecompositions(method, statistics,
                    linearAlgebra));
            MatrixAnalyzer analyzer = new MatrixAnalyzer(linearAlgebra, spec.policy().toPolicy(), truncation);
            List<MatrixAnalysis> analyses = selected.stream().map(m -> analyzer.analyze(source, m)).toList();
            Map<String, Object> policy = AnalysisReport.policyView(spec.policy());
            ReducedModelWriter.writeReport(out, new ReducedModelWriter(linearAlgebra,
                    new MatrixTruncator(linearAlgebra, truncation)).write(source, analyses, StorageForm.DENSE, out, policy,
                    (done, total, name) -> { }).withMethod(truncation.report()));
        }
        assertTrue(Files.isRegularFile(out.resolve(ReducedModelWriter.REPORT_FILE)));
        return out.resolve(ReducedModelWriter.REPORT_FILE);
    }

    /** The entries without the analyses' wall-clock seconds, which differ from run to run. */
    private static JsonNode withoutSeconds(JsonNode matrices) {
        JsonNode copy = matrices.deepCopy();
        copy.forEach(m -> ((ObjectNode) m.get("analysis")).remove("seconds"));
        return copy;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual / expected - 1) <= FIXTURE_TOLERANCE, what + ": " + actual + " against the "
                + "reference's " + expected);
    }
}
