package dev.lasermesh.core.linalg;

import java.util.Arrays;

/**
 * The algorithms behind every CPU backend, written once over {@link DenseKernels}: which route a
 * matrix takes is decided by {@link SvdMethodChooser}; a backend only supplies the kernels.
 *
 * <p>Top-k triplets on the Gram route: the k leading eigenvectors of G = W·Wᵀ (W the matrix turned
 * wide, rows ≤ cols) span an approximation Q of the leading left singular subspace; then the
 * Rayleigh–Ritz step of Halko, Martinsson &amp; Tropp, "Finding structure with randomness", SIAM
 * Review 53(2), 2011, Algorithm 5.1 ("direct SVD" of B = Qᵀ·W = Ũ·Σ·Vᵀ, U = Q·Ũ) gives the
 * triplets. Unlike V = Wᵀ·U/σ it yields exactly orthonormal V whatever the rounding in G, and its
 * singular values are those of B, which differ from σ_i only to second order in the angle between Q
 * and the true subspace; the truncation error ‖W − U·Σ·Vᵀ‖_F = ‖W − Q·Qᵀ·W‖_F therefore matches the
 * Eckart–Young optimum √(Σ_{i&gt;k} σ_i²) (Eckart &amp; Young, Psychometrika 1, 1936) to rounding.
 */
public abstract sealed class KernelLinearAlgebra implements LinearAlgebra
        permits OpenBlasLinearAlgebra, JavaLinearAlgebra {

    private final DenseKernels kernels;

    KernelLinearAlgebra(DenseKernels kernels) {
        this.kernels = kernels;
    }

    /** The thread count of this instance's kernels (for OpenBLAS, threads per call). */
    public final int threads() {
        return kernels.threads();
    }

    @Override
    public final double[] singularValues(DenseMatrix a) {
        return singularValuesWithMethod(a).values();
    }

    /**
     * All min(rows, cols) singular values, descending, and the method the shared rule chose for
     * this matrix.
     *
     * @throws IllegalArgumentException if {@code a} holds NaN or an infinity
     */
    public final SingularValues singularValuesWithMethod(DenseMatrix a) {
        requireFinite(a);
        if (a.minDim() == 0) {
            return new SingularValues(new double[0], SvdMethod.DIRECT_SVD);
        }
        if (SvdMethodChooser.tryGramForValues(a.rows(), a.cols())) {
            double[] ascending = kernels.gramEigenvalues(a);
            if (SvdMethodChooser.gramAccurate(ascending[0], ascending[ascending.length - 1])) {
                return new SingularValues(descendingSquareRoots(ascending), SvdMethod.GRAM_EIGENVALUES);
            }
        }
        return new SingularValues(kernels.svdValues(a), SvdMethod.DIRECT_SVD);
    }

    /**
     * The k leading singular triplets; k = 0 gives empty factors (a rank-0 truncation).
     *
     * @throws IllegalArgumentException if k is outside 0..min(rows, cols), or {@code a} holds NaN
     *                                  or an infinity
     */
    @Override
    public final Svd topK(DenseMatrix a, int k) {
        if (k < 0 || k > a.minDim()) {
            throw new IllegalArgumentException("k = " + k + " is outside 0.." + a.minDim() + " for a "
                    + a.rows() + "x" + a.cols() + " matrix");
        }
        requireFinite(a);
        if (a.rows() <= a.cols()) {
            return topKOfWide(a, k);
        }
        Svd ofTranspose = topKOfWide(a.transpose(), k);
        return new Svd(ofTranspose.vt().transpose(), ofTranspose.s(), ofTranspose.u().transpose());
    }

    private Svd topKOfWide(DenseMatrix wide, int k) {
        if (k == 0) {
            return new Svd(DenseMatrix.zeros(wide.rows(), 0), new double[0], DenseMatrix.zeros(0, wide.cols()));
        }
        if (SvdMethodChooser.tryGramForTopK(wide.rows(), wide.cols(), k)) {
            SymmetricEigenpairs leading = kernels.largestGramEigenpairs(wide, k);
            double[] lambda = leading.values();
            if (SvdMethodChooser.gramAccurate(lambda[k - 1], lambda[0])) {
                return rayleighRitz(wide, leading.vectorsAsRows());
            }
        }
        return truncate(kernels.thinSvd(wide), k);
    }

    /** HMT 2011 Algorithm 5.1 with Q = basisAsRowsᵀ: B = Qᵀ·W = Ũ·Σ·Vᵀ, U = Q·Ũ. */
    private Svd rayleighRitz(DenseMatrix wide, DenseMatrix basisAsRows) {
        Svd projected = kernels.thinSvd(kernels.multiply(basisAsRows, wide));
        DenseMatrix u = kernels.multiply(basisAsRows.transpose(), projected.u());
        return new Svd(u, projected.s(), projected.vt());
    }

    private static Svd truncate(Svd full, int k) {
        DenseMatrix u = full.u();
        DenseMatrix uk = DenseMatrix.zeros(u.rows(), k);
        for (int i = 0; i < u.rows(); i++) {
            System.arraycopy(u.data(), i * u.cols(), uk.data(), i * k, k);
        }
        DenseMatrix vt = full.vt();
        double[] vtk = Arrays.copyOf(vt.data(), k * vt.cols());
        return new Svd(uk, Arrays.copyOf(full.s(), k), new DenseMatrix(k, vt.cols(), vtk));
    }

    private static double[] descendingSquareRoots(double[] ascending) {
        int n = ascending.length;
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = Math.sqrt(ascending[n - 1 - i]);
        }
        return sigma;
    }

    private static void requireFinite(DenseMatrix a) {
        double[] d = a.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException("matrix " + a.rows() + "x" + a.cols() + " holds " + d[i]
                        + " at (" + i / a.cols() + ", " + i % a.cols() + "); singular values need finite values");
            }
        }
    }
}
