package dev.lasermesh.contracts.task;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.Samples;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.core.tensor.DType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A task or result that exists is well formed: the constructors reject what a consumer could not use. */
class TaskRecordsTest {

    private static void assertField(String field, Executable build) {
        ContractException e = assertThrows(ContractException.class, build);
        assertEquals(field, e.field(), e.getMessage());
    }

    private static TensorRef ref(String path, List<Long> shape, String sha256) {
        return new TensorRef(path, "w", DType.F32, shape, sha256);
    }

    @Test
    void aResultCarriesExactlyOneOfOutputAndFailure() {
        AnalysisResult ok = AnalysisResult.completed(Samples.analysisTask(),
                new AnalysisOutput(Samples.spectrum(), 0.1, "cpu"));
        assertTrue(ok.succeeded());
        assertField("output", () -> new AnalysisResult(1, "j", "t", Samples.DOWN, null, null));
        assertField("failure", () -> new AnalysisResult(1, "j", "t", Samples.DOWN, ok.output(),
                new TaskFailure("x", false)));
        assertTrue(!EvaluationResult.failed(Samples.evaluationTask(), new TaskFailure("x", true)).succeeded());
    }

    @Test
    void tensorReferencesStayInsideTheArtifactStoreAndCarryAChecksum() {
        assertDoesNotThrow(() -> ref("jobs/j-1/a.safetensors", List.of(2L, 3L), Samples.SHA));
        for (String path : List.of("/etc/passwd", "../x.safetensors", "jobs/../../x", "jobs//x", "jobs/./x",
                "jobs\\x", "jobs/.hidden", "")) {
            assertField("path", () -> ref(path, List.of(2L), Samples.SHA));
        }
        assertField("sha256", () -> ref("a", List.of(2L), Samples.SHA.toUpperCase()));
        assertField("sha256", () -> ref("a", List.of(2L), Samples.SHA.substring(1)));
        assertField("shape[1]", () -> ref("a", List.of(2L, 0L), Samples.SHA));
        assertField("shape", () -> ref("a", List.of(), Samples.SHA));
        assertEquals(2L * 3 * 2, new TensorRef("a", "w", DType.BF16, List.of(2L, 3L), Samples.SHA).byteLength());
        assertEquals(Path.of("/store/jobs/j-1/a.safetensors"),
                ref("jobs/j-1/a.safetensors", List.of(2L), Samples.SHA).file(Path.of("/store")));
    }

    @Test
    void anOverlayIsOneDenseTensorOrTwoFactorsThatMultiply() {
        TensorRef left = ref("a", List.of(256L, 4L), Samples.SHA);
        TensorRef right = ref("a", List.of(4L, 704L), Samples.SHA);
        assertEquals(OutputForm.FACTORED, new Overlay("w", List.of(left, right)).form());
        assertEquals(OutputForm.DENSE, new Overlay("w", List.of(ref("a", List.of(256L, 704L), Samples.SHA))).form());
        assertField("tensors", () -> new Overlay("w", List.of(right, left)));
        assertField("tensors", () -> new Overlay("w", List.of(left, right, right)));
        assertField("tensors", () -> new Overlay("w", List.of()));
    }

    @Test
    void reductionTasksAndResultsAgreeOnTheirMatrixAndRank() {
        ReductionTask task = Samples.reductionTask();
        assertField("rank", () -> new ReductionTask(1, "j", "t", Samples.MODEL, Samples.DOWN, 0, OutputForm.FACTORED,
                task.outputPath()));
        assertDoesNotThrow(() -> new ReductionTask(1, "j", "t", Samples.MODEL, Samples.DOWN, 0, OutputForm.DENSE,
                task.outputPath()));
        Overlay other = new Overlay("model.layers.0.mlp.down_proj.weight", Samples.factoredOverlay().tensors());
        assertField("output.overlay.replaces", () -> ReductionResult.completed(task,
                new ReductionOutput(other, 2, 1.0, 0.5, 10, 10, 0.1, "cpu")));
        assertField("energyKept", () -> new ReductionOutput(Samples.factoredOverlay(), 2, 1.0, 1.5, 10, 10, 0.1, "cpu"));
        assertField("frobeniusError", () -> new ReductionOutput(Samples.factoredOverlay(), 2, Double.NaN, 0.5, 10, 10,
                0.1, "cpu"));
    }

    @Test
    void aTransformNamesAKnownSchemeAndKeepsAMatrixUntruncatedOnlyDenseAtRankZero() {
        String out = Samples.reductionTask().outputPath();
        assertEquals("q8_0", new ReductionTransform(true, "Q8_0").quantize());
        assertField("quantize", () -> new ReductionTransform(true, "q3_x"));
        assertField("quantize", () -> new ReductionTransform(false, null));
        ReductionTransform keep = new ReductionTransform(false, "q4_0");
        assertField("transform.truncate", () -> new ReductionTask(1, "j", "t", Samples.MODEL, Samples.DOWN, 1,
                OutputForm.FACTORED, out, keep));
        assertField("transform.truncate", () -> new ReductionTask(1, "j", "t", Samples.MODEL, Samples.DOWN, 4,
                OutputForm.DENSE, out, keep));
        assertFalse(new ReductionTask(1, "j", "t", Samples.MODEL, Samples.DOWN, 0, OutputForm.DENSE, out, keep)
                .truncates());
        assertEquals("j/reduction/w/dense-full-q4_0", TaskIds.reduction("j", "w", OutputForm.DENSE, 0, keep));
        assertEquals("j/reduction/w/factored-k4-q8_0", TaskIds.reduction("j", "w", OutputForm.FACTORED, 4,
                new ReductionTransform(true, "q8_0")));
        assertEquals(TaskIds.reduction("j", "w", OutputForm.DENSE, 4), TaskIds.reduction("j", "w", OutputForm.DENSE, 4,
                null));
    }

    @Test
    void anEvaluationTaskNeedsAResolvedSpecAbsoluteTextsAndDistinctOverlays() {
        EvaluationTask t = Samples.evaluationTask();
        EvaluationSpec noWindow = new EvaluationSpec(List.of("/srv/a.txt"), "laserrmt", null, 128, null);
        assertField("evaluation.window", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), noWindow,
                WindowShard.ALL));
        EvaluationSpec relative = new EvaluationSpec(List.of("a.txt"), "laserrmt", 128, 128, null);
        assertField("evaluation.texts[0]", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(),
                relative, WindowShard.ALL));
        assertField("overlays[1].replaces", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL,
                List.of(Samples.factoredOverlay(), Samples.factoredOverlay()), t.evaluation(), t.shard()));
        assertField("evaluation", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), null,
                WindowShard.ALL));
    }

    @Test
    void aCalibrationTaskCarriesAResolvedTextItsMatricesAndNoOverlays() {
        EvaluationTask t = Samples.evaluationTask();
        dev.lasermesh.contracts.job.CalibrationSpec text = new dev.lasermesh.contracts.job.CalibrationSpec("/srv/m.txt",
                2048, 128);
        List<String> q = List.of("model.layers.0.self_attn.q_proj.weight");
        assertTrue(new EvaluationTask(1, "j", "t", "calibration", Samples.MODEL, List.of(), null, new WindowShard(0, 8),
                text, q).calibrates());
        assertField("calibration", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), t.evaluation(),
                t.shard(), text, q));
        assertField("calibration.text", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), null,
                t.shard(), new dev.lasermesh.contracts.job.CalibrationSpec("m.txt", 2048, 128), q));
        assertField("calibration.tokens", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), null,
                t.shard(), new dev.lasermesh.contracts.job.CalibrationSpec("/srv/m.txt", null, 128), q));
        assertField("overlays", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL,
                List.of(Samples.factoredOverlay()), null, t.shard(), text, q));
        assertField("matrices", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), null, t.shard(),
                text, List.of()));
        assertField("matrices", () -> new EvaluationTask(1, "j", "t", "r", Samples.MODEL, List.of(), t.evaluation(),
                t.shard(), null, q));
        assertField("calibration.windows", () -> new EvaluationOutput(null, 4, 1.0, 1.0, "cpu", null,
                new CalibrationShard("jobs/j/calibration/shards/0-8", 8)));
        assertField("statistics", () -> new CalibrationShard("../elsewhere", 8));
    }

    @Test
    void aCalibratedMethodNamesACalibratedMethodAndAnArtifactFolder() {
        assertEquals(dev.lasermesh.core.calibrate.ReductionMethod.FEATURE,
                new CalibratedMethod("feature", "jobs/j/calibration/merged").reductionMethod());
        assertField("method", () -> new CalibratedMethod("svd", "jobs/j/calibration/merged"));
        assertField("method", () -> new CalibratedMethod("magic", "jobs/j/calibration/merged"));
        assertField("statistics", () -> new CalibratedMethod("whitened", "/etc"));
        CalibratedMethod whitened = new CalibratedMethod("whitened", "jobs/j/calibration/merged");
        assertField("method", () -> new ReductionTask(1, "j", "t", Samples.MODEL, Samples.DOWN, 4,
                dev.lasermesh.contracts.OutputForm.DENSE, "jobs/j/r.safetensors",
                new ReductionTransform(true, "q8_0"), whitened));
    }

    @Test
    void windowShardsAreOrderedRangesAndSumsFitTheWindows() {
        assertField("end", () -> new WindowShard(5, 4));
        assertField("first", () -> new WindowShard(-1, null));
        assertEquals(6, new WindowShard(4, null).size(10));
        assertEquals(3, new WindowShard(4, 7).size(10));
        assertEquals(0, new WindowShard(12, 20).size(10));
        assertField("sums.windows", () -> new EvaluationOutput(Samples.sums(), 7, 1.0, 1.0, "cpu"));
    }

    @Test
    void taskIdsAreStableAndTellTasksApart() {
        assertEquals("j-7/analysis/w", TaskIds.analysis("j-7", "w"));
        assertEquals(TaskIds.reduction("j", "w", OutputForm.DENSE, 4), TaskIds.reduction("j", "w", OutputForm.DENSE, 4));
        assertNotEquals(TaskIds.reduction("j", "w", OutputForm.DENSE, 4), TaskIds.reduction("j", "w", OutputForm.FACTORED, 4));
        assertNotEquals(TaskIds.reduction("j", "w", OutputForm.DENSE, 4), TaskIds.reduction("j", "w", OutputForm.DENSE, 5));
        assertEquals("j/evaluation/r/0-last", TaskIds.evaluation("j", "r", WindowShard.ALL));
        assertNotEquals(TaskIds.evaluation("j", "r", new WindowShard(0, 5)), TaskIds.evaluation("j", "r", new WindowShard(0, 6)));
    }

    @Test
    void completedAndFailedResultsCopyTheirTask() {
        EvaluationTask task = Samples.evaluationTask();
        EvaluationResult result = EvaluationResult.failed(task, new TaskFailure("tokenizer.json missing", false));
        assertEquals(List.of(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.requestId(), task.shard()),
                List.of(result.version(), result.jobId(), result.taskId(), result.requestId(), result.shard()));
        assertEquals(task.key(), result.key());
    }
}
