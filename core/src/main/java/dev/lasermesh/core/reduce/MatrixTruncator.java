package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.TensorCodec;

/**
 * Truncates one matrix of a model to a rank: reads it from the memory-mapped model, takes its k
 * leading singular triplets (no full SVD when k is small, see {@link LinearAlgebra#topK}) and builds
 * the dense W_k or its factors with {@link RankReducer}.
 */
public final class MatrixTruncator {

    /** The rank-k factors of a matrix by a method other than W's own SVD (whitened, feature). */
    @FunctionalInterface
    public interface MethodFactors {
        LowRankFactors of(MatrixRef matrix, DenseMatrix weights, int k);
    }

    private final LinearAlgebra linearAlgebra;
    private final MethodFactors method;

    public MatrixTruncator(LinearAlgebra linearAlgebra) {
        this(linearAlgebra, null);
    }

    /** A truncator whose W_k come from {@code method} (null: W's own SVD). */
    public MatrixTruncator(LinearAlgebra linearAlgebra, MethodFactors method) {
        this.linearAlgebra = linearAlgebra;
        this.method = method;
    }

    /**
     * W_k of {@code matrix} in its original shape.
     *
     * @param singularValues all singular values of the matrix (from its analysis), for the accounting
     */
    public DenseReduction dense(ModelSource model, MatrixRef matrix, double[] singularValues, int k) {
        DenseMatrix w = model.readMatrix(matrix);
        if (method != null) {
            return RankReducer.dense(w, method.of(matrix, w, k), singularValues, k, matrix.dtype());
        }
        return RankReducer.dense(w, linearAlgebra.topK(w, k), singularValues, k, matrix.dtype());
    }

    /**
     * W_k exactly as a reduced model stores it (rounded to the tensor's dtype, round to nearest even)
     * and widened to float32: what an evaluation of a candidate must use so that the model written
     * afterwards scores the same perplexity.
     */
    public float[] asWritten(ModelSource model, MatrixRef matrix, double[] singularValues, int k) {
        double[] w = dense(model, matrix, singularValues, k).reconstruction().data();
        float[] values = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            values[i] = (float) TensorCodec.round(w[i], matrix.dtype());
        }
        return values;
    }

    /** The factors A·B = W_k of {@code matrix}; parameters as for {@link #dense}. */
    public FactoredReduction factored(ModelSource model, MatrixRef matrix, double[] singularValues, int k) {
        DenseMatrix w = model.readMatrix(matrix);
        if (method != null) {
            return RankReducer.factored(w, method.of(matrix, w, k), singularValues, k, matrix.dtype());
        }
        return RankReducer.factored(w, linearAlgebra.topK(w, k), singularValues, k, matrix.dtype());
    }
}
