package dev.lasermesh.reducer;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.study.StudyReduction;
import dev.lasermesh.core.tensor.DType;
import java.util.List;

/**
 * A reduction task whose transform quantizes (the quantization study in the mesh, DESIGN §7.2),
 * computed by core's {@link StudyReduction}: the values core's {@code QuantizationStudy} computes the
 * variant with. The tensors hold the dequantized values in F32 (exact: every dequantized value is a
 * float32); the bytes reported are ggml's.
 */
final class QuantizedReduction {

    private final LinearAlgebra linearAlgebra;
    private final StudyReduction study;

    QuantizedReduction(LinearAlgebra linearAlgebra) {
        this.linearAlgebra = linearAlgebra;
        this.study = new StudyReduction(linearAlgebra);
    }

    /** The tensors' dtype for {@code task}: F32 when it quantizes, else the matrix's. */
    static DType dtype(ReductionTask task, MatrixRef matrix) {
        return quantizes(task) ? DType.F32 : matrix.dtype();
    }

    /** Whether the task's transform quantizes. */
    static boolean quantizes(ReductionTask task) {
        return task.transform() != null && task.transform().scheme().isPresent();
    }

    /** Computes what {@code task} (one that {@link #quantizes}) stores for {@code matrix} at rank {@code k}. */
    Truncation apply(ModelSource model, MatrixRef matrix, ReductionTask task, int k, List<TensorLayout> layout) {
        StudyReduction.Result result = study.compute(model, matrix, task.truncates(), k,
                task.form() == OutputForm.FACTORED, task.transform().scheme());
        List<double[]> values = result.tensors().stream()
                .map(v -> DenseMatrix.fromFloats(1, v.length, v).data()).toList();
        return new Truncation(layout, values, k, result.error(), result.energyKept(),
                matrix.elementCount() * matrix.dtype().byteSize(), result.bytes(), linearAlgebra.name());
    }
}
