package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixProduct;

/**
 * SFSD-LLM's feature-space decomposition (Yadav et al., ACL 2024, arXiv 2405.13039, §3): the outputs
 * Y = XWᵀ of the linear on calibration text, centred, have covariance
 * Σ_Y = W·(C − s·sᵀ/T)·Wᵀ/(T−1) (C = XᵀX, s the column sums of X, T the rows: the same number as
 * YcᵀYc/(T−1) from Y itself, without holding Y); with V_k its k leading eigenvectors,
 * W_k = V_k·(V_kᵀW), factored as A = V_k, B = V_kᵀW. No bias term (DESIGN §7.4). The spectrum a
 * policy sees is √eigenvalue, the singular values of Yc/√(T−1), so the policies that read singular
 * values apply unchanged.
 */
public final class FeatureDecomposition implements MethodDecomposition {

    private final DenseMatrix w;
    private final double[] eigenvalues;
    private final DenseMatrix eigenvectors;

    private FeatureDecomposition(DenseMatrix w, double[] eigenvalues, DenseMatrix eigenvectors) {
        this.w = w;
        this.eigenvalues = eigenvalues;
        this.eigenvectors = eigenvectors;
    }

    /** Decomposes {@code w} (out × in) in the feature space of its outputs on the calibration inputs. */
    public static FeatureDecomposition of(String what, DenseMatrix w, InputStatistics stats) {
        int n = stats.width();
        if (n != w.cols()) {
            throw new InvalidInputException(what + ": calibration inputs are " + n + " wide but the matrix has "
                    + w.cols() + " columns (calibration of another model?)");
        }
        if (stats.rows() < 2) {
            throw new InvalidInputException(what + ": an output covariance needs at least 2 calibration positions, got "
                    + stats.rows());
        }
        DenseMatrix c = stats.gram();
        double[] s = stats.columnSums();
        double t = stats.rows();
        double[] centred = c.data().clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                centred[i * n + j] -= s[i] * s[j] / t;
            }
        }
        DenseMatrix wc = MatrixProduct.multiply(w, null, new DenseMatrix(n, n, centred), n);
        DenseMatrix cov = MatrixProduct.multiply(wc, null, w.transpose(), n);
        double[] values = cov.data();
        for (int i = 0; i < values.length; i++) {
            values[i] /= t - 1;
        }
        DoubleKernels.Eigen eigen = DoubleKernels.symmetricEigen(cov);
        return new FeatureDecomposition(w, eigen.values(), eigen.vectors());
    }

    @Override
    public ReductionMethod method() {
        return ReductionMethod.FEATURE;
    }

    /** The eigenvalues of the output covariance, descending. */
    public double[] covarianceEigenvalues() {
        return eigenvalues.clone();
    }

    @Override
    public double[] spectrum() {
        int p = Math.min(w.rows(), w.cols());
        double[] root = new double[p];
        for (int i = 0; i < p; i++) {
            root[i] = Math.sqrt(Math.max(0, eigenvalues[i]));
        }
        return root;
    }

    @Override
    public LowRankFactors factors(int k) {
        int out = w.rows();
        double[] vk = new double[k * out];
        System.arraycopy(eigenvectors.data(), 0, vk, 0, k * out);
        DenseMatrix rows = new DenseMatrix(k, out, vk);
        return new LowRankFactors(rows.transpose(), MatrixProduct.multiply(rows, null, w, out));
    }
}
