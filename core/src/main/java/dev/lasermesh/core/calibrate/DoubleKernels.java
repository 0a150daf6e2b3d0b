package dev.lasermesh.core.calibrate;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRight;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The float64 LAPACK/BLAS routines calibration and the activation-aware methods need beyond
 * {@link dev.lasermesh.core.linalg.LinearAlgebra}: the Gram update XᵀX ({@code dsyrk}), Cholesky
 * ({@code dpotrf}), a triangular solve ({@code dtrsm}) and a full symmetric eigendecomposition
 * ({@code dsyevd}), on OpenBLAS through the bytedeco presets the project already loads.
 */
final class DoubleKernels {

    private DoubleKernels() {
    }

    static {
        Loader.load(openblas.class);
    }

    /** The upper triangle (row-major) of XᵀX for {@code rows} rows of width {@code width}; the lower is 0. */
    static double[] gramUpper(float[] x, int rows, int width) {
        try (DoublePointer px = new DoublePointer((long) rows * width);
             DoublePointer c = new DoublePointer((long) width * width)) {
            for (int i = 0; i < rows * width; i++) {
                px.put(i, x[i]);
            }
            c.zero();
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, width, rows, 1.0, px, width, 0.0, c, width);
            double[] out = new double[width * width];
            c.get(out);
            return out;
        }
    }

    /** The lower Cholesky factor L of the symmetric positive definite {@code c} (C = L·Lᵀ), or empty. */
    static Optional<DenseMatrix> choleskyLower(DenseMatrix c) {
        int n = c.rows();
        try (DoublePointer p = new DoublePointer(c.data())) {
            int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'L', n, p, n);
            if (info < 0) {
                throw new IllegalStateException("dpotrf rejected argument " + (-info));
            }
            if (info > 0) {
                return Optional.empty();
            }
            double[] l = new double[n * n];
            p.get(l);
            for (int i = 0; i < n; i++) {
                Arrays.fill(l, i * n + i + 1, (i + 1) * n, 0.0);
            }
            return Optional.of(new DenseMatrix(n, n, l));
        }
    }

    /** Z·L⁻¹ for a lower triangular L (a solve, never an inverse): the B factor of SVD-LLM. */
    static DenseMatrix solveRightLower(DenseMatrix z, DenseMatrix lower) {
        try (DoublePointer pz = new DoublePointer(z.data()); DoublePointer pl = new DoublePointer(lower.data())) {
            cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, z.rows(), z.cols(), 1.0,
                    pl, lower.cols(), pz, z.cols());
            double[] out = new double[z.data().length];
            pz.get(out);
            return new DenseMatrix(z.rows(), z.cols(), out);
        }
    }

    /**
     * All eigenpairs of the symmetric {@code a} (its upper triangle is read), eigenvalues descending,
     * eigenvectors as the matching rows.
     */
    static Eigen symmetricEigen(DenseMatrix a) {
        int n = a.rows();
        try (DoublePointer p = new DoublePointer(a.data()); DoublePointer w = new DoublePointer(n)) {
            int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, p, n, w);
            if (info != 0) {
                throw new ArithmeticException("dsyevd failed (info " + info + ") for a " + n + "x" + n + " matrix");
            }
            double[] ascending = new double[n];
            w.get(ascending);
            double[] columns = new double[n * n];
            p.get(columns);
            double[] values = new double[n];
            double[] rows = new double[n * n];
            for (int j = 0; j < n; j++) {
                int from = n - 1 - j;
                values[j] = ascending[from];
                for (int i = 0; i < n; i++) {
                    rows[j * n + i] = columns[i * n + from];
                }
            }
            return new Eigen(values, new DenseMatrix(n, n, rows));
        }
    }

    /** Eigenvalues descending and the eigenvectors as rows. */
    record Eigen(double[] values, DenseMatrix vectors) {
    }
}
