package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.Svd;
import java.util.Locale;

/**
 * The rank-k truncation of a matrix from its (possibly truncated) SVD, in float64 as laserRMT
 * computes it ({@code update_model_reduce_layer}: {@code U diag(S_reduced) Vh} on the double weights):
 * dense, W_k = U_k·diag(S_k)·V_kᵀ, or factored ({@link LowRankFactors}). By Eckart–Young this is
 * the best rank-k approximation in the Frobenius norm.
 */
public final class RankTruncation {

    private RankTruncation() {
    }

    /** W_k = U_k·diag(S_k)·V_kᵀ, rows × cols. */
    public static DenseMatrix reconstruct(Svd svd, int k) {
        checkRank(svd, k);
        return MatrixProduct.multiply(svd.u(), svd.s(), svd.vt(), k);
    }

    /** A = U_k·diag(√S_k), B = diag(√S_k)·V_kᵀ, so that A·B = W_k. */
    public static LowRankFactors factor(Svd svd, int k) {
        checkRank(svd, k);
        int rows = svd.u().rows();
        int cols = svd.vt().cols();
        double[] root = new double[k];
        for (int l = 0; l < k; l++) {
            root[l] = Math.sqrt(svd.s()[l]);
        }
        double[] u = svd.u().data();
        int ldu = svd.u().cols();
        double[] a = new double[Math.multiplyExact(rows, k)];
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < k; l++) {
                a[i * k + l] = u[i * ldu + l] * root[l];
            }
        }
        double[] vt = svd.vt().data();
        double[] b = new double[Math.multiplyExact(k, cols)];
        for (int l = 0; l < k; l++) {
            for (int j = 0; j < cols; j++) {
                b[l * cols + j] = root[l] * vt[l * cols + j];
            }
        }
        return new LowRankFactors(new DenseMatrix(rows, k, a), new DenseMatrix(k, cols, b));
    }

    private static void checkRank(Svd svd, int k) {
        if (k < 0 || k > svd.rank()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rank %d outside [0, %d]: the SVD holds %d singular triplets", k, svd.rank(), svd.rank()));
        }
    }
}
