package dev.lasermesh.reducer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.LoraRecipe;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.BaseQuantization;
import dev.lasermesh.core.lora.MatrixRecipe;
import dev.lasermesh.core.lora.StudyMatrices;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.SafetensorsFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reducer's LoRA recipes (issue 10) on tiny-llama's {@code model.layers.5.mlp.down_proj.weight} and
 * the {@code tiny-llama-lora} fixture: the merged matrix is the fixture's {@code merged/} tensor within its
 * README's tolerance (3e-8 absolute; bit-exact expected), LASER→LoRA at the fixture's rank 89 is bit for
 * bit what core's study computes, and an adapter outside the model roots fails the task naming the field.
 */
class LoraReductionTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path TINY_LLAMA = FIXTURES.resolve("tiny-llama");
    private static final Path ADAPTER = FIXTURES.resolve("tiny-llama-lora");
    private static final MatrixId DOWN = new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down");
    private static final LinearAlgebra LINEAR_ALGEBRA = LinearAlgebras.create(1);

    @TempDir
    Path store;

    private ReductionResult run(MatrixRecipe.Kind kind, int rank, List<Path> roots) {
        ReductionTransform transform = new ReductionTransform(new LoraRecipe(ADAPTER.toString(), BaseQuantization.NONE,
                kind));
        ReductionTask task = new ReductionTask(ContractVersion.CURRENT, "j-1", TaskIds.reduction("j-1", DOWN.tensor(),
                OutputForm.DENSE, rank, transform), TINY_LLAMA.toString(), DOWN, rank, OutputForm.DENSE,
                "jobs/j-1/reduced/" + kind + ".safetensors", transform);
        return Json.read(new TaskRunner<>(new ReductionHandler(LINEAR_ALGEBRA, store, new PathRoots("model", roots)))
                .run(Json.write(task)).json(), ReductionResult.class);
    }

    private float[] stored(ReductionResult result) {
        assertTrue(result.succeeded(), () -> result.failure().reason());
        TensorRef ref = result.output().overlay().tensors().getFirst();
        try (SafetensorsFile file = SafetensorsFile.open(ref.file(store))) {
            return file.readFloats(ref.tensor());
        }
    }

    @Test
    void theMergedMatrixIsTheFixturesMergedTensor() {
        float[] merged = stored(run(MatrixRecipe.Kind.MERGED, 0, List.of(FIXTURES)));
        float[] expected;
        try (ModelSource fixture = ModelSource.open(ADAPTER.resolve("merged"))) {
            expected = fixture.tensors().readFloats(DOWN.tensor());
        }
        assertEquals(expected.length, merged.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(merged[i] - expected[i]) <= 3e-8, "element " + i);
        }
    }

    @Test
    void laserThenLoraIsWhatTheStudyComputes() {
        ReductionResult result = run(MatrixRecipe.Kind.LASER_THEN_MERGED, 89, List.of(FIXTURES));
        float[] expected;
        try (ModelSource model = ModelSource.open(TINY_LLAMA)) {
            expected = StudyMatrices.single(model, ADAPTER, BaseQuantization.NONE,
                    new MatrixRecipe(DOWN.tensor(), MatrixRecipe.Kind.LASER_THEN_MERGED, 89), LINEAR_ALGEBRA).values();
        }
        assertArrayEquals(expected, stored(result));
        assertEquals(89, result.output().rank());
        assertTrue(result.output().energyKept() > 0 && result.output().energyKept() < 1);
    }

    @Test
    void anAdapterOutsideTheModelRootsFailsTheTask() {
        ReductionResult result = run(MatrixRecipe.Kind.MERGED, 0, List.of(TINY_LLAMA));
        assertFalse(result.succeeded());
        assertTrue(result.failure().reason().contains("transform.lora.adapter"), result.failure().reason());
    }
}
