package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;

/**
 * Truncates one matrix of a model to a rank: reads it from the memory-mapped model, takes its k
 * leading singular triplets (no full SVD when k is small, see {@link LinearAlgebra#topK}) and builds
 * the dense W_k or its factors with {@link RankReducer}.
 */
public final class MatrixTruncator {

    private final LinearAlgebra linearAlgebra;

    public MatrixTruncator(LinearAlgebra linearAlgebra) {
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * W_k of {@code matrix} in its original shape.
     *
     * @param singularValues all singular values of the matrix (from its analysis), for the accounting
     */
    public DenseReduction dense(ModelSource model, MatrixRef matrix, double[] singularValues, int k) {
        DenseMatrix w = model.readMatrix(matrix);
        return RankReducer.dense(w, linearAlgebra.topK(w, k), singularValues, k, matrix.dtype());
    }

    /** The factors A·B = W_k of {@code matrix}; parameters as for {@link #dense}. */
    public FactoredReduction factored(ModelSource model, MatrixRef matrix, double[] singularValues, int k) {
        DenseMatrix w = model.readMatrix(matrix);
        return RankReducer.factored(w, linearAlgebra.topK(w, k), singularValues, k, matrix.dtype());
    }
}
