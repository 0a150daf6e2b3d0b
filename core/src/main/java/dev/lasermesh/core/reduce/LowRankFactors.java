package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;

/**
 * A rank-k matrix stored as two factors W_k = A·B, A = U_k·diag(√S_k) (rows × k) and
 * B = diag(√S_k)·V_kᵀ (k × cols): k(rows + cols) numbers instead of rows·cols, the storage LASER's
 * authors point to for real memory savings (pratyushasharma/laser issue #28). Splitting √S evenly
 * gives both factors the same scale, which suits low-precision storage.
 *
 * @param a rows × k
 * @param b k × cols
 */
public record LowRankFactors(DenseMatrix a, DenseMatrix b) {

    public LowRankFactors {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("factors do not chain: A is " + a + ", B is " + b);
        }
    }

    /** k. */
    public int rank() {
        return a.cols();
    }

    /** A·B in float64. */
    public DenseMatrix product() {
        return MatrixProduct.multiply(a, null, b, rank());
    }
}
