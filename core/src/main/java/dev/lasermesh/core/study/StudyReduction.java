package dev.lasermesh.core.study;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.reduce.DenseReduction;
import dev.lasermesh.core.reduce.FactoredReduction;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.tensor.DType;
import java.util.List;
import java.util.Optional;

/**
 * One matrix of one quantization-study variant computed on its own, for a worker of the mesh: the
 * matrix as stored, its rank-k reconstruction as a reduced model writes it, or its two factors rounded
 * to the dtype, each quantized and dequantized with {@link StoredValues} — the values
 * {@link QuantizationStudy#weights} computes the variant with (DESIGN §7.2).
 */
public final class StudyReduction {

    private final LinearAlgebra linearAlgebra;
    private final MatrixTruncator truncator;

    public StudyReduction(LinearAlgebra linearAlgebra) {
        this.linearAlgebra = linearAlgebra;
        this.truncator = new MatrixTruncator(linearAlgebra);
    }

    /**
     * The matrix's stored values.
     *
     * @param tensors    float32 values in file order: the dense matrix, or [U·√S (out × k), √S·Vᵀ (k × in)]
     * @param bytes      bytes as stored (ggml's for quantized parts)
     * @param error      ‖W − Ŵ‖_F over the elements, Ŵ the values computed with (factors multiplied out in
     *                   float64 and rounded to float32, as evaluators multiply overlays out)
     * @param energyKept Σ_{i&lt;k}σ_i² / Σσ_i² of the truncation; 1 untruncated (no spectrum computed)
     */
    public record Result(List<float[]> tensors, long bytes, double error, double energyKept) {
    }

    /**
     * Computes {@code matrix} as a variant stores it.
     *
     * @param truncate whether to truncate to rank {@code k} first
     * @param k        the rank (ignored untruncated)
     * @param factored whether to keep the truncation as two factors (only truncated)
     * @param scheme   the quantization, or empty to keep the dtype
     */
    public Result compute(ModelSource model, MatrixRef matrix, boolean truncate, int k, boolean factored,
                          Optional<QuantScheme> scheme) {
        DType dtype = matrix.dtype();
        int rows = matrix.rows();
        int cols = matrix.cols();
        float[] original = model.tensors().readFloats(matrix.name());
        if (!truncate) {
            StoredValues q = StoredValues.of(original, rows, cols, dtype, scheme);
            return new Result(List.of(q.values()), q.factor().bytes(), error(original, q.values()), 1.0);
        }
        double[] singularValues = linearAlgebra.singularValues(model.readMatrix(matrix));
        if (!factored) {
            DenseReduction dense = truncator.dense(model, matrix, singularValues, k);
            StoredValues q = StoredValues.of(StoredValues.rounded(dense.reconstruction(), dtype), rows, cols, dtype,
                    scheme);
            return new Result(List.of(q.values()), q.factor().bytes(), error(original, q.values()),
                    dense.result().energyKept());
        }
        FactoredReduction reduction = truncator.factored(model, matrix, singularValues, k);
        StoredValues left = StoredValues.of(StoredValues.rounded(reduction.factors().a(), dtype), rows, k, dtype,
                scheme);
        StoredValues right = StoredValues.of(StoredValues.rounded(reduction.factors().b(), dtype), k, cols, dtype,
                scheme);
        float[] product = new LowRankFactors(DenseMatrix.fromFloats(rows, k, left.values()),
                DenseMatrix.fromFloats(k, cols, right.values())).productAsFloats();
        return new Result(List.of(left.values(), right.values()), left.factor().bytes() + right.factor().bytes(),
                error(original, product), reduction.result().energyKept());
    }

    private static double error(float[] original, float[] computed) {
        double sum = 0;
        for (int i = 0; i < original.length; i++) {
            double d = (double) original[i] - computed[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
