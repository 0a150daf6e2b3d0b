package dev.lasermesh.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.CalibrationSpec;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.eval.EvaluationModel;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration tasks (DESIGN §7.4) through the evaluator's handler, on tiny-llama and the moby-dick
 * calibration of {@code corpus/reference.json} (2048 tokens, 16 windows of 128): three shards cut on the
 * pass's blocks of 4 windows, merged with core's {@link CalibrationStore#merge}, equal one
 * {@link CalibrationPass} over all windows bit for bit (a shard cut elsewhere fails), and
 * trace(XᵀX) of layers.0.q_proj is the fixture's independent float64 value within 1e-6 relative (X from
 * the float32 forward pass, the README's "Tolerances to expect"). Bad input fails the task, naming it.
 */
class CalibrationShardsTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path TINY_LLAMA = FIXTURES.resolve("tiny-llama");
    private static final String TEXT = FIXTURES.resolve("text/moby-dick.txt").toString();
    private static final CalibrationSpec CALIBRATION = new CalibrationSpec(TEXT, 2048, 128);
    private static final String Q = "model.layers.0.self_attn.q_proj.weight";
    private static final List<String> MATRICES = List.of(Q, "model.layers.0.self_attn.o_proj.weight",
            "model.layers.3.mlp.down_proj.weight");

    /** The evaluator's threads, and the one pass's: the same, so the float32 products round alike. */
    private static final int THREADS = 2;

    @TempDir
    static Path store;
    private static EvaluationHandler handler;
    private static TaskRunner<EvaluationTask, EvaluationResult> runner;

    @BeforeAll
    static void start() {
        handler = new EvaluationHandler(store, new PathRoots("model", List.of(FIXTURES)),
                new PathRoots("data", List.of(FIXTURES.resolve("text"))),
                new EvaluatorLimits(THREADS, 64L << 20, 4, 1, 0),
                rate -> { });
        runner = new TaskRunner<>(handler, 0);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    private static EvaluationTask task(CalibrationSpec calibration, WindowShard shard) {
        return new EvaluationTask(ContractVersion.CURRENT, "j-1", TaskIds.evaluation("j-1", "calibration", shard),
                "calibration", TINY_LLAMA.toString(), List.of(), null, shard, calibration, MATRICES);
    }

    private static EvaluationResult calibrate(EvaluationTask task) {
        return Json.read(runner.run(Json.write(task)).json(), EvaluationResult.class);
    }

    @Test
    void threeShardsMergeToOnePassBitForBit() throws IOException {
        List<CalibrationStore> shards = new ArrayList<>();
        int windows = 0;
        for (WindowShard shard : List.of(new WindowShard(0, 4), new WindowShard(4, 8), new WindowShard(8, 16))) {
            EvaluationResult result = calibrate(task(CALIBRATION, shard));
            assertTrue(result.succeeded(), () -> result.failure().reason());
            assertEquals(16, result.output().totalWindows());
            windows += result.output().calibration().windows();
            shards.add(new CalibrationStore(store.resolve(result.output().calibration().statistics())));
        }
        assertEquals(16, windows);
        CalibrationStore merged = CalibrationStore.merge(shards, store.resolve("merged"));
        CalibrationStore onePass = onePass(store.resolve("one-pass"));
        assertEquals(List.of(0, 3), merged.layers());
        assertEquals(onePass.layers(), merged.layers());
        for (int layer : onePass.layers()) {
            assertSameFile(onePass.folder().resolve(fileName(layer)), merged.folder().resolve(fileName(layer)));
        }

        JsonNode reference = new ObjectMapper().readTree(FIXTURES.resolve("corpus/reference.json").toFile())
                .at("/calibration_statistics/moby-dick").get(Q);
        assertEquals(reference.get("T").intValue(), merged.read(0, dev.lasermesh.core.eval.forward.LinearInput.ofTensor(Q))
                .rows());
        double trace = 0;
        var gram = merged.read(0, dev.lasermesh.core.eval.forward.LinearInput.ofTensor(Q)).gram();
        for (int i = 0; i < gram.rows(); i++) {
            trace += gram.data()[i * gram.cols() + i];
        }
        double expected = reference.get("trace_XtX").doubleValue();
        assertTrue(Math.abs(trace / expected - 1) <= 1e-6, "trace " + trace + " against the reference's " + expected);
    }

    @Test
    void aRedeliveredShardKeepsItsStatistics() throws IOException {
        WindowShard shard = new WindowShard(0, 4);
        EvaluationResult first = calibrate(task(CALIBRATION, shard));
        Path folder = store.resolve(first.output().calibration().statistics());
        byte[] before = Files.readAllBytes(folder.resolve(fileName(0)));
        EvaluationResult again = calibrate(task(CALIBRATION, shard));
        assertEquals(first.output().calibration(), again.output().calibration());
        assertArrayEquals(before, Files.readAllBytes(folder.resolve(fileName(0))));
    }

    @Test
    void aShardOffTheBlocksFails() {
        EvaluationResult result = calibrate(task(CALIBRATION, new WindowShard(5, 11)));
        assertFalse(result.succeeded());
        assertTrue(result.failure().reason().contains("[5, 11) of 16 windows is not cut on blocks of 4 windows"),
                result.failure().reason());
    }

    @Test
    void aCalibrationTextOutsideTheDataRootsFailsTheTask(@TempDir Path outside) throws IOException {
        Path text = Files.writeString(outside.resolve("secret.txt"), "not to be read");
        EvaluationResult result = calibrate(task(new CalibrationSpec(text.toString(), 2048, 128), new WindowShard(0, 4)));
        assertFalse(result.succeeded());
        assertTrue(result.failure().reason().contains("calibration.text"), result.failure().reason());
        assertFalse(result.failure().reason().contains("not to be read"), result.failure().reason());
    }

    @Test
    void aMatrixTheModelDoesNotHaveFailsTheTask() {
        EvaluationTask task = task(CALIBRATION, new WindowShard(0, 4));
        EvaluationResult result = calibrate(new EvaluationTask(task.version(), task.jobId(), task.taskId(),
                task.requestId(), task.modelPath(), List.of(), null, task.shard(), CALIBRATION,
                List.of("model.layers.9.mlp.up_proj.weight")));
        assertFalse(result.succeeded());
        assertTrue(result.failure().reason().contains("model.layers.9.mlp.up_proj.weight"), result.failure().reason());
    }

    /** What {@code lasermesh reduce --calibration moby-dick.txt --calibration-tokens 2048} calibrates. */
    private static CalibrationStore onePass(Path folder) {
        try (EvaluationModel model = EvaluationModel.open(TINY_LLAMA);
             ModelSource source = ModelSource.open(TINY_LLAMA)) {
            WindowPlan plan = dev.lasermesh.core.eval.Evaluation.plan(model.config(), model.tokenizer(),
                    List.of(Path.of(TEXT)), CALIBRATION.windowProtocol());
            assertEquals(16, plan.windows().size());
            return CalibrationPass.run(model.weights(), plan, MATRICES.stream().map(source.catalogue()::byName).toList(),
                    folder, THREADS, CalibrationPass.Progress.NONE);
        }
    }

    private static String fileName(int layer) {
        return String.format("layer-%03d.safetensors", layer);
    }

    /** The same tensors with the same bytes, and the same metadata (the row counts). */
    private static void assertSameFile(Path expected, Path actual) {
        try (SafetensorsFile e = SafetensorsFile.open(expected); SafetensorsFile a = SafetensorsFile.open(actual)) {
            assertEquals(e.metadata(), a.metadata(), actual.toString());
            assertEquals(e.tensors().stream().map(TensorInfo::name).toList(),
                    a.tensors().stream().map(TensorInfo::name).toList());
            for (TensorInfo t : e.tensors()) {
                assertArrayEquals(e.readDoubles(t.name()), a.readDoubles(t.name()), actual + " " + t.name());
            }
        }
    }
}
