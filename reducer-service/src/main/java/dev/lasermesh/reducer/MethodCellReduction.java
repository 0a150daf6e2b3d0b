package dev.lasermesh.reducer;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.task.MethodCell;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.List;

/**
 * A reduction task whose transform carries a {@link MethodCell} (the methods study in the mesh, DESIGN §7.4,
 * issue 14), computed by core's {@link MethodStudy#cell}: the values {@code study methods} replaces the matrix
 * with at that rank, in the matrix's dtype (dense), with the activation and weight errors the study averages.
 */
final class MethodCellReduction {

    private final LinearAlgebra linearAlgebra;
    private final Path artifactRoot;

    MethodCellReduction(LinearAlgebra linearAlgebra, Path artifactRoot) {
        this.linearAlgebra = linearAlgebra;
        this.artifactRoot = artifactRoot;
    }

    /** Whether the task builds a methods-study cell. */
    static boolean applies(ReductionTask task) {
        return task.transform() != null && task.transform().methodCell() != null;
    }

    /** Computes what {@code task} (one that {@link #applies}) stores for {@code matrix}. */
    Truncation apply(ModelSource model, MatrixRef matrix, ReductionTask task, List<TensorLayout> layout) {
        MethodCell cell = task.transform().methodCell();
        MethodDecompositions method = new MethodDecompositions(cell.reductionMethod(),
                new CalibrationStore(ArtifactPath.resolve(artifactRoot, cell.statistics())), linearAlgebra);
        DenseMatrix w = model.readMatrix(matrix);
        MethodStudy.MatrixCell built = MethodStudy.cell(method, matrix, w, task.rank());
        double[] values = DenseMatrix.fromFloats(matrix.rows(), matrix.cols(), built.values()).data();
        return new Truncation(layout, List.of(values), built.errors().rank(), LoraReduction.error(w.data(), values),
                built.energyKept(), matrix.elementCount() * matrix.dtype().byteSize(), TensorLayout.bytes(layout),
                linearAlgebra.name(), built.errors());
    }
}
