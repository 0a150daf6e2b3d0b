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
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;
import static org.bytedeco.openblas.global.openblas.cblas_dtrmm;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The float64 LAPACK/BLAS routines calibration and the activation-aware methods need beyond
 * {@link dev.lasermesh.core.linalg.LinearAlgebra}: the Gram update XᵀX ({@code dsyrk}, or {@code dgemm} by blocks of rows when wide), Cholesky
 * ({@code dpotrf}), a triangular product ({@code dtrmm}) and solve ({@code dtrsm}) and a full symmetric eigendecomposition
 * ({@code dsyevd}), on OpenBLAS through the bytedeco presets the project already loads.
 */
final class DoubleKernels {

    private DoubleKernels() {
    }

    static {
        Loader.load(openblas.class);
    }

    /** The most native memory a block of rows of C = XᵀX may take in {@link #gramUpperRows}. */
    private static final long GRAM_BLOCK_BYTES = 64L << 20;

    /** Receives row i of XᵀX from the diagonal on: {@code values[from + j - i]} = C[i][j] for j = i..width−1. */
    @FunctionalInterface
    interface GramRow {
        void accept(int i, double[] values, int from);
    }

    /**
     * The upper triangle of XᵀX for {@code rows} rows of width {@code width}, row by row into {@code sink}.
     * When C fits in {@value #GRAM_BLOCK_BYTES} bytes it is one {@code dsyrk} (every width of a model up to
     * 2896, one BLAS call per window and input); wider, it is computed a block of rows of C of that size at
     * a time ({@code dgemm} of the block's columns of X against the columns from the block's first on), so
     * that neither native nor heap memory ever holds a width × width matrix: at a 7B model's 14336-wide
     * down_proj input that saves 1.6 GB twice over (DESIGN §7.4, issue 14's memory bound).
     */
    static void gramUpperRows(float[] x, int rows, int width, GramRow sink) {
        int blockRows = (int) Math.min(width, Math.max(1, GRAM_BLOCK_BYTES / ((long) Double.BYTES * width)));
        double[] widened = new double[rows * width];
        for (int i = 0; i < widened.length; i++) {
            widened[i] = x[i];
        }
        try (DoublePointer px = new DoublePointer(widened);
             DoublePointer block = new DoublePointer((long) blockRows * width)) {
            double[] row = new double[width];
            for (int first = 0; first < width; first += blockRows) {
                int count = Math.min(blockRows, width - first);
                int columns = width - first;
                if (count == width) {
                    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, width, rows, 1.0, px, width, 0.0, block, width);
                } else {
                    DoublePointer from = new DoublePointer(px).position(first);
                    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, count, columns, rows, 1.0, from, width, from,
                            width, 0.0, block, columns);
                }
                for (int r = 0; r < count; r++) {
                    block.position((long) r * columns + r).get(row, 0, columns - r);
                    sink.accept(first + r, row, 0);
                }
                block.position(0);
            }
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

    /** Z·L for a lower triangular L: W·S of SVD-LLM, half the flops of a general product. */
    static DenseMatrix multiplyRightLower(DenseMatrix z, DenseMatrix lower) {
        try (DoublePointer pz = new DoublePointer(z.data()); DoublePointer pl = new DoublePointer(lower.data())) {
            cblas_dtrmm(CblasRowMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, z.rows(), z.cols(), 1.0,
                    pl, lower.cols(), pz, z.cols());
            double[] out = new double[z.data().length];
            pz.get(out);
            return new DenseMatrix(z.rows(), z.cols(), out);
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
