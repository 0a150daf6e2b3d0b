package dev.lasermesh.reducer;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.reduce.DenseReduction;
import dev.lasermesh.core.reduce.FactoredReduction;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.study.StoredValues;
import dev.lasermesh.core.tensor.DType;
import java.util.List;
import java.util.Optional;

/**
 * A reduction task whose transform quantizes (the quantization study in the mesh, DESIGN §7.2): the
 * matrix as stored, its rank-k reconstruction as a reduced model writes it, or the two factors rounded to
 * the dtype, quantized with the task's ggml scheme through core's {@link StoredValues} — the very values
 * core's {@code QuantizationStudy} computes a variant with. The tensors hold the dequantized values in
 * F32 (exact: every dequantized value is a float32); the bytes reported are ggml's.
 *
 * <p>The Frobenius error is ‖W − Ŵ‖_F over the elements, Ŵ the values an evaluator computes with (for
 * factors, their product in float64 rounded to float32, as the evaluators multiply overlays out); the
 * energy kept is the truncation's (1 for an untruncated matrix, whose spectrum is then not computed).
 */
final class QuantizedReduction {

    private final LinearAlgebra linearAlgebra;
    private final MatrixTruncator truncator;

    QuantizedReduction(LinearAlgebra linearAlgebra) {
        this.linearAlgebra = linearAlgebra;
        this.truncator = new MatrixTruncator(linearAlgebra);
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
        Optional<QuantScheme> scheme = task.transform().scheme();
        DType dtype = matrix.dtype();
        int rows = matrix.rows();
        int cols = matrix.cols();
        long bytesBefore = matrix.elementCount() * dtype.byteSize();
        float[] original = model.tensors().readFloats(matrix.name());
        if (!task.truncates()) {
            StoredValues q = StoredValues.of(original, rows, cols, dtype, scheme);
            return new Truncation(layout, List.of(widen(q.values())), k, error(original, q.values()), 1.0, bytesBefore,
                    q.factor().bytes(), linearAlgebra.name());
        }
        double[] singularValues = linearAlgebra.singularValues(model.readMatrix(matrix));
        if (task.form() == OutputForm.DENSE) {
            DenseReduction dense = truncator.dense(model, matrix, singularValues, k);
            StoredValues q = StoredValues.of(StoredValues.rounded(dense.reconstruction(), dtype), rows, cols, dtype,
                    scheme);
            return new Truncation(layout, List.of(widen(q.values())), k, error(original, q.values()),
                    dense.result().energyKept(), bytesBefore, q.factor().bytes(), linearAlgebra.name());
        }
        FactoredReduction factored = truncator.factored(model, matrix, singularValues, k);
        StoredValues left = StoredValues.of(StoredValues.rounded(factored.factors().a(), dtype), rows, k, dtype, scheme);
        StoredValues right = StoredValues.of(StoredValues.rounded(factored.factors().b(), dtype), k, cols, dtype,
                scheme);
        float[] product = new LowRankFactors(DenseMatrix.fromFloats(rows, k, left.values()),
                DenseMatrix.fromFloats(k, cols, right.values())).productAsFloats();
        return new Truncation(layout, List.of(widen(left.values()), widen(right.values())), k, error(original, product),
                factored.result().energyKept(), bytesBefore, left.factor().bytes() + right.factor().bytes(),
                linearAlgebra.name());
    }

    private static double error(float[] original, float[] computed) {
        double sum = 0;
        for (int i = 0; i < original.length; i++) {
            double d = (double) original[i] - computed[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static double[] widen(float[] values) {
        return DenseMatrix.fromFloats(1, values.length, values).data();
    }
}
