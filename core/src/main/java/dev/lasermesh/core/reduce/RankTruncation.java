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

    /**
     * A = U_k·diag(√S_k), B = diag(√S_k)·V_kᵀ, so that A·B = W_k, with the signs of scikit-learn's
     * {@code svd_flip(u, v, u_based_decision=True)}: the pair (column l of U, row l of Vᵀ) is negated when
     * the entry of largest magnitude of U's column (the first on ties) is negative. The product does not
     * depend on the signs, but a factor stored in an asymmetric format (ggml's Q4_0) does, and LAPACK's
     * raw signs vary between backends; this fixes them, as the quantization fixture does.
     */
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
        double[] sign = uBasedSigns(u, rows, ldu, k);
        double[] a = new double[Math.multiplyExact(rows, k)];
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < k; l++) {
                a[i * k + l] = u[i * ldu + l] * (sign[l] * root[l]);
            }
        }
        double[] vt = svd.vt().data();
        double[] b = new double[Math.multiplyExact(k, cols)];
        for (int l = 0; l < k; l++) {
            for (int j = 0; j < cols; j++) {
                b[l * cols + j] = (sign[l] * root[l]) * vt[l * cols + j];
            }
        }
        return new LowRankFactors(new DenseMatrix(rows, k, a), new DenseMatrix(k, cols, b));
    }

    /** ±1 per column l &lt; k of U: the sign of its first entry of largest magnitude. */
    private static double[] uBasedSigns(double[] u, int rows, int ldu, int k) {
        double[] sign = new double[k];
        for (int l = 0; l < k; l++) {
            int at = 0;
            for (int i = 1; i < rows; i++) {
                if (Math.abs(u[i * ldu + l]) > Math.abs(u[at * ldu + l])) {
                    at = i;
                }
            }
            sign[l] = u[at * ldu + l] < 0 ? -1 : 1;
        }
        return sign;
    }

    private static void checkRank(Svd svd, int k) {
        if (k < 0 || k > svd.rank()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rank %d outside [0, %d]: the SVD holds %d singular triplets", k, svd.rank(), svd.rank()));
        }
    }
}
