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
        return spectrum(a);
    }

    /** The shared rule of {@link SvdMethodChooser}, applied recursively to the projected small end. */
    private SingularValues spectrum(DenseMatrix a) {
        if (a.minDim() == 0) {
            return new SingularValues(new double[0], SvdMethod.DIRECT_SVD, new double[0]);
        }
        if (SvdMethodChooser.tryGramForValues(a.rows(), a.cols())) {
            GramEigenvalues gram = kernels.gramEigenvalues(a, SvdMethodChooser::trailingVectorsNeeded);
            double[] ascending = gram.ascending();
            int unresolved = SvdMethodChooser.unresolvedCount(ascending);
            if (unresolved == 0) {
                return gramOnly(ascending);
            }
            if (SvdMethodChooser.deflationPays(unresolved, ascending.length)) {
                return deflated(a, gram, unresolved);
            }
        }
        double[] values = kernels.svdValues(a);
        return new SingularValues(values, SvdMethod.DIRECT_SVD, SingularValueBounds.direct(values));
    }

    private static SingularValues gramOnly(double[] ascending) {
        int p = ascending.length;
        double largest = ascending[p - 1];
        double[] bounds = new double[p];
        for (int i = 0; i < p; i++) {
            bounds[i] = SingularValueBounds.gram(ascending[p - 1 - i], largest);
        }
        return new SingularValues(descendingSquareRoots(ascending), SvdMethod.GRAM_EIGENVALUES, bounds);
    }

    /**
     * The accepted Gram values, then the singular values of B = Qᵀ·W (W·Q for a tall matrix), Q the
     * eigenvectors of the {@code unresolved} smallest Gram eigenvalues.
     */
    private SingularValues deflated(DenseMatrix a, GramEigenvalues gram, int unresolved) {
        double[] ascending = gram.ascending();
        int p = ascending.length;
        int accepted = p - unresolved;
        double largest = ascending[p - 1];
        double smallestAccepted = ascending[unresolved];
        DenseMatrix basis = gram.trailingVectorsAsRows();
        DenseMatrix projected = a.rows() <= a.cols() ? kernels.multiply(basis, a)
                : kernels.multiply(a, basis.transpose());
        SingularValues tail = spectrum(projected);
        double[] values = new double[p];
        double[] bounds = new double[p];
        for (int i = 0; i < accepted; i++) {
            values[i] = Math.sqrt(ascending[p - 1 - i]);
            bounds[i] = SingularValueBounds.gram(ascending[p - 1 - i], largest);
        }
        for (int j = 0; j < unresolved; j++) {
            double sigma = tail.values()[j];
            values[accepted + j] = sigma;
            bounds[accepted + j] = SingularValueBounds.deflated(sigma, tail.relativeErrorBounds()[j],
                    smallestAccepted, largest, gram.vectorResidual());
        }
        sortDescending(values, bounds, accepted);
        return new SingularValues(values, SvdMethod.DEFLATED_GRAM, bounds);
    }

    /**
     * Restores descending order after joining two descending runs at {@code boundary} (a recomputed
     * value can exceed the smallest accepted one by rounding inside a cluster), keeping each bound
     * with its value.
     */
    private static void sortDescending(double[] values, double[] bounds, int boundary) {
        for (int i = boundary; i < values.length; i++) {
            for (int j = i; j > 0 && values[j] > values[j - 1]; j--) {
                double v = values[j];
                values[j] = values[j - 1];
                values[j - 1] = v;
                double b = bounds[j];
                bounds[j] = bounds[j - 1];
                bounds[j - 1] = b;
            }
        }
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
            if (SvdMethodChooser.gramVectorsAccurate(lambda[k - 1], lambda[0])) {
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
