package dev.lasermesh.core.calibrate;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRight;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dtrmm;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The float64 LAPACK/BLAS routines calibration and the activation-aware methods need beyond
 * {@link dev.lasermesh.core.linalg.LinearAlgebra}: the Gram update XᵀX ({@code dgemm} by bands of rows), Cholesky
 * ({@code dpotrf}), a triangular product ({@code dtrmm}) and solve ({@code dtrsm}) and a full symmetric eigendecomposition
 * ({@code dsyevd}), on OpenBLAS through the bytedeco presets the project already loads.
 */
final class DoubleKernels {

    private DoubleKernels() {
    }

    static {
        Loader.load(openblas.class);
    }

    /**
     * Receives row i of XᵀX from the diagonal on: C[i][j] for j = i..width−1 is the double at index
     * {@code from + j − i} of {@code values}, native memory valid only during the call (read in place, not
     * copied: a copy of every row moved as many bytes as the Gram's additions).
     */
    @FunctionalInterface
    interface GramRow {
        void accept(int i, MemorySegment values, long from);
    }

    /**
     * Rows {@code from}..{@code to}−1 of the upper triangle of XᵀX, for each block of windows X of
     * {@code blocks} ({@code rows[b]} rows of width {@code width}, float64 in native memory:
     * {@link ObservedInput}) in turn, row by row into {@code sink}: one {@code dgemm} per block of the band's
     * columns of X against the columns from the band's first on.
     * A band of b rows takes 8·b·width bytes, never a width × width matrix (at a 7B model's 14336-wide
     * down_proj input, 1.6 GB on the heap and as much natively; DESIGN §7.4, issue 14's memory bound).
     * OpenBLAS computes a product of a given shape the same way every time, but not the same way for every
     * shape (whole-C {@code dsyrk}, small and large {@code dgemm} round differently), so callers cut C into
     * the same bands whatever the number of threads.
     */
    static void gramUpperRows(List<DoublePointer> blocks, int[] rows, int width, int from, int to, GramRow sink) {
        int count = to - from;
        int columns = width - from;
        long entries = (long) count * columns;
        try (DoublePointer block = new DoublePointer(entries)) {
            MemorySegment values = segment(block, entries);
            for (int b = 0; b < blocks.size(); b++) {
                DoublePointer at = new DoublePointer(blocks.get(b)).position(from);
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, count, columns, rows[b], 1.0, at, width, at, width,
                        0.0, block, columns);
                for (int r = 0; r < count; r++) {
                    sink.accept(from + r, values, (long) r * columns + r);
                }
            }
        }
    }

    /** The first {@code count} doubles of {@code p}'s native memory, to read or write in place (valid while p is). */
    static MemorySegment segment(DoublePointer p, long count) {
        return MemorySegment.ofAddress(p.address()).reinterpret(count * Double.BYTES);
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
