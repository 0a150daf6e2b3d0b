package dev.lasermesh.reducer;

import dev.lasermesh.contracts.job.AdapterFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.LoraRecipe;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.lora.MatrixRecipe;
import dev.lasermesh.core.lora.StudyMatrices;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.List;

/**
 * A reduction task whose transform carries a {@link LoraRecipe} (the LoRA order study in the mesh,
 * DESIGN §7.3, issue 10), computed by core's {@link StudyMatrices#single}: the values {@code study lora}
 * computes the variant with, in the base dtype (dense). The adapter folder must lie inside the model
 * roots, checked again here ({@link AdapterFolders}) since it may have changed since the job was submitted.
 */
final class LoraReduction {

    private final LinearAlgebra linearAlgebra;
    private final PathRoots modelRoots;

    LoraReduction(LinearAlgebra linearAlgebra, PathRoots modelRoots) {
        this.linearAlgebra = linearAlgebra;
        this.modelRoots = modelRoots;
    }

    /** Whether the task builds a LoRA study matrix. */
    static boolean applies(ReductionTask task) {
        return task.transform() != null && task.transform().lora() != null;
    }

    /** Computes what {@code task} (one that {@link #applies}) stores for {@code matrix}. */
    Truncation apply(ModelSource model, MatrixRef matrix, ReductionTask task, List<TensorLayout> layout) {
        LoraRecipe recipe = task.transform().lora();
        Path adapter = AdapterFolders.requireInside(modelRoots, Path.of(recipe.adapter()), "transform.lora.adapter");
        int rank = recipe.truncates() ? task.rank() : 0;
        StudyMatrices.Single built = StudyMatrices.single(model, adapter, recipe.quantization(),
                new MatrixRecipe(matrix.name(), recipe.kind(), rank), linearAlgebra);
        double[] values = DenseMatrix.fromFloats(matrix.rows(), matrix.cols(), built.values()).data();
        return new Truncation(layout, List.of(values), task.truncates() ? task.rank() : matrix.minDim(),
                error(model.readMatrix(matrix).data(), values), built.energyKept(),
                matrix.elementCount() * matrix.dtype().byteSize(), TensorLayout.bytes(layout), linearAlgebra.name());
    }

    /** ‖W − Ŵ‖_F over the elements, W as stored (also a methods-study cell's, {@link MethodCellReduction}). */
    static double error(double[] stored, double[] built) {
        double sum = 0;
        for (int i = 0; i < stored.length; i++) {
            double d = stored[i] - built[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
