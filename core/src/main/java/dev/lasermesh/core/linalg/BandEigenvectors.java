package dev.lasermesh.core.linalg;

import static org.bytedeco.openblas.global.openblas.CblasColMajor;
import static org.bytedeco.openblas.global.openblas.CblasLower;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgbtrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgbtrs;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgeqrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dorgqr;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpbtrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpbtrs;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyev;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dsbmv;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Eigenvectors of a symmetric positive semidefinite band matrix B (a Gram matrix reduced to a band)
 * for its m smallest eigenvalues, already computed. First by block inverse iteration: one band
 * Cholesky of B + δI (δ = c·ε·λ_max), a few solves of m + extra vectors each followed by a QR, then
 * Rayleigh–Ritz (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §8.2.4 and §8.1.2); it
 * converges as (λ_m/λ_(m+extra+1))^iterations, fast where the trailing values lie well below the
 * bulk, as in real weights. Where it has not converged, by inverse iteration per eigenvalue: one
 * banded LU of B − λI each (LAPACK dgbtrf, about 4n·kd² flops), a few solves from a seeded random
 * start, each followed by modified Gram–Schmidt against the vectors found before, as LAPACK's dstein
 * does for a tridiagonal matrix (§8.2.2). The two-stage reduction keeps no second-stage
 * transformation, so this is how the deflated Gram route gets its few trailing vectors.
 *
 * <p>What the route needs is not each vector's angle but the residual ‖B·Z − Z·diag(ρ)‖_F (ρ the
 * Rayleigh quotients): it bounds the coupling ‖E‖ between span(Z) and the rest of the spectrum
 * (§8.1.2), and enters the deflated values' bounds. It is measured, not assumed, and the result is
 * used only if the Rayleigh quotients match the eigenvalues asked for.
 */
final class BandEigenvectors {

    private static final int ITERATIONS = 3;
    private static final int BLOCK_ITERATIONS = 6;
    private static final int LEAST_EXTRA_VECTORS = 16;
    private static final double CHOLESKY_SHIFT_IN_ERRORS = 1.0;
    private static final byte LOWER = 'L';
    private static final byte WITH_VECTORS = 'V';
    private static final int SHIFT_PERTURBATIONS = 4;
    private static final byte NO_TRANSPOSE = 'N';

    /**
     * @param vectorsAsRows     m×n, the orthonormal vectors, one per row (ascending eigenvalue)
     * @param residual          ‖B·Z − Z·diag(ρ)‖_F
     * @param rayleighQuotients ρ_j = z_jᵀ·B·z_j
     */
    record Result(double[] vectorsAsRows, double residual, double[] rayleighQuotients) {

        /**
         * Whether the vectors belong to the given eigenvalues: the sorted Rayleigh quotients match
         * them within the residual plus {@code eigenvalueError} (a vector that slipped to another
         * eigenvalue's direction would still have a small residual).
         */
        boolean match(double[] ascending, double eigenvalueError) {
            double[] sorted = rayleighQuotients.clone();
            Arrays.sort(sorted);
            for (int j = 0; j < sorted.length; j++) {
                if (!(Math.abs(sorted[j] - ascending[j]) <= residual + eigenvalueError)) {
                    return false;
                }
            }
            return true;
        }
    }

    private BandEigenvectors() {
    }

    /**
     * The eigenvectors of the symmetric band matrix {@code band} (order n, half-width kd, lower band
     * storage, leading dimension kd+1; not modified) for its m smallest eigenvalues {@code ascending};
     * empty when neither way produced vectors whose Rayleigh quotients match them.
     *
     * @param eigenvalueError the absolute error of the eigenvalues (c·ε·λ_max), the accuracy the block
     *                        iteration's residual must reach to be used
     */
    static Optional<Result> compute(DoublePointer band, int n, int kd, double[] ascending, double eigenvalueError) {
        Optional<Result> block = blockInverseIteration(band, n, kd, ascending.length, eigenvalueError)
                .filter(r -> r.residual() <= eigenvalueError && r.match(ascending, eigenvalueError));
        if (block.isPresent()) {
            return block;
        }
        return perEigenvalue(band, n, kd, ascending, eigenvalueError).filter(r -> r.match(ascending, eigenvalueError));
    }

    static Optional<Result> blockInverseIteration(DoublePointer band, int n, int kd, int m,
                                                          double eigenvalueError) {
        int width = Math.min(n, m + Math.max(LEAST_EXTRA_VECTORS, m / 2));
        long size = (long) n * width;
        try (DoublePointer cholesky = new DoublePointer((long) (kd + 1) * n);
             DoublePointer z = new DoublePointer(size);
             DoublePointer tau = new DoublePointer(width);
             DoublePointer bz = new DoublePointer(size);
             DoublePointer h = new DoublePointer((long) width * width);
             DoublePointer ritzValues = new DoublePointer(width);
             DoublePointer y = new DoublePointer((long) n * m)) {
            Pointer.memcpy(cholesky, band, (long) (kd + 1) * n * Double.BYTES);
            for (int i = 0; i < n; i++) {
                long at = (long) i * (kd + 1);
                cholesky.put(at, cholesky.get(at) + CHOLESKY_SHIFT_IN_ERRORS * eigenvalueError);
            }
            if (LAPACKE_dpbtrf(LAPACK_COL_MAJOR, LOWER, n, kd, cholesky, kd + 1) != 0) {
                return Optional.empty();
            }
            SplittableRandom random = new SplittableRandom(n);
            for (long i = 0; i < size; i++) {
                z.put(i, random.nextDouble(-1.0, 1.0));
            }
            for (int iteration = 0; iteration < BLOCK_ITERATIONS; iteration++) {
                if (LAPACKE_dpbtrs(LAPACK_COL_MAJOR, LOWER, n, kd, width, cholesky, kd + 1, z, n) != 0
                        || LAPACKE_dgeqrf(LAPACK_COL_MAJOR, n, width, z, n, tau) != 0
                        || LAPACKE_dorgqr(LAPACK_COL_MAJOR, n, width, width, z, n, tau) != 0) {
                    return Optional.empty();
                }
            }
            for (int j = 0; j < width; j++) {
                cblas_dsbmv(CblasColMajor, CblasLower, n, kd, 1.0, band, kd + 1, new DoublePointer(z).position((long) j * n),
                        1, 0.0, new DoublePointer(bz).position((long) j * n), 1);
            }
            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, width, width, n, 1.0, z, n, bz, n, 0.0, h, width);
            if (LAPACKE_dsyev(LAPACK_COL_MAJOR, WITH_VECTORS, LOWER, width, h, width, ritzValues) != 0) {
                return Optional.empty();
            }
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, m, width, 1.0, z, n, h, width, 0.0, y, n);
            double[] rows = new double[n * m];
            y.get(rows);
            return Optional.of(measure(band, n, kd, rows, m));
        }
    }

    private static Optional<Result> perEigenvalue(DoublePointer band, int n, int kd, double[] eigenvalues,
                                                  double eigenvalueError) {
        int m = eigenvalues.length;
        int lead = 3 * kd + 1;
        double[] general = generalBand(band, n, kd, lead);
        double[] rows = new double[m * n];
        double[] x = new double[n];
        try (DoublePointer lu = new DoublePointer((long) lead * n);
             IntPointer pivots = new IntPointer(n);
             DoublePointer rhs = new DoublePointer(n)) {
            for (int j = 0; j < m; j++) {
                if (!factor(general, eigenvalues[j], eigenvalueError, n, kd, lead, lu, pivots)) {
                    return Optional.empty();
                }
                SplittableRandom random = new SplittableRandom(j);
                for (int i = 0; i < n; i++) {
                    x[i] = random.nextDouble(-1.0, 1.0);
                }
                for (int iteration = 0; iteration < ITERATIONS; iteration++) {
                    rhs.put(x);
                    LAPACKE_dgbtrs(LAPACK_COL_MAJOR, NO_TRANSPOSE, n, kd, kd, 1, lu, lead, pivots, rhs, n);
                    rhs.get(x);
                    orthogonalise(x, rows, j, n);
                    if (!normalise(x)) {
                        return Optional.empty();
                    }
                }
                System.arraycopy(x, 0, rows, j * n, n);
            }
            return Optional.of(measure(band, n, kd, rows, m));
        }
    }

    /** The full band (both triangles) in LAPACK's general band layout, with kd spare rows for fill-in. */
    private static double[] generalBand(DoublePointer band, int n, int kd, int lead) {
        double[] symmetric = new double[(kd + 1) * n];
        band.get(symmetric);
        double[] general = new double[lead * n];
        for (int j = 0; j < n; j++) {
            for (int i = Math.max(0, j - kd); i <= Math.min(n - 1, j + kd); i++) {
                double value = i >= j ? symmetric[(i - j) + j * (kd + 1)] : symmetric[(j - i) + i * (kd + 1)];
                general[2 * kd + i - j + j * lead] = value;
            }
        }
        return general;
    }

    /** LU of B − shift·I; an exactly singular factor is retried with the shift moved by the eigenvalue error, doubling. */
    private static boolean factor(double[] general, double shift, double eigenvalueError, int n, int kd, int lead,
                                  DoublePointer lu, IntPointer pivots) {
        double perturbation = Math.max(eigenvalueError, Double.MIN_NORMAL);
        double current = shift;
        for (int attempt = 0; attempt <= SHIFT_PERTURBATIONS; attempt++) {
            lu.put(general);
            for (int i = 0; i < n; i++) {
                long at = 2L * kd + (long) i * lead;
                lu.put(at, general[(int) at] - current);
            }
            int info = LAPACKE_dgbtrf(LAPACK_COL_MAJOR, n, n, kd, kd, lu, lead, pivots);
            if (info < 0) {
                throw new IllegalStateException("dgbtrf rejected argument " + (-info) + " for a band matrix of order "
                        + n + " and half-width " + kd);
            }
            if (info == 0) {
                return true;
            }
            current += perturbation;
            perturbation *= 2.0;
        }
        return false;
    }

    private static void orthogonalise(double[] x, double[] rows, int count, int n) {
        for (int k = 0; k < count; k++) {
            int offset = k * n;
            double dot = 0.0;
            for (int i = 0; i < n; i++) {
                dot += rows[offset + i] * x[i];
            }
            for (int i = 0; i < n; i++) {
                x[i] -= dot * rows[offset + i];
            }
        }
    }

    private static boolean normalise(double[] x) {
        double scale = 0.0;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (!(scale > 0.0) || !Double.isFinite(scale)) {
            return false;
        }
        double sum = 0.0;
        for (int i = 0; i < x.length; i++) {
            x[i] /= scale;
            sum += x[i] * x[i];
        }
        double norm = Math.sqrt(sum);
        for (int i = 0; i < x.length; i++) {
            x[i] /= norm;
        }
        return true;
    }

    private static Result measure(DoublePointer band, int n, int kd, double[] rows, int m) {
        double[] quotients = new double[m];
        double squared = 0.0;
        double[] z = new double[n];
        double[] y = new double[n];
        try (DoublePointer vector = new DoublePointer(n);
             DoublePointer product = new DoublePointer(n)) {
            for (int j = 0; j < m; j++) {
                System.arraycopy(rows, j * n, z, 0, n);
                vector.put(z);
                cblas_dsbmv(CblasColMajor, CblasLower, n, kd, 1.0, band, kd + 1, vector, 1, 0.0, product, 1);
                product.get(y);
                double rho = 0.0;
                for (int i = 0; i < n; i++) {
                    rho += z[i] * y[i];
                }
                for (int i = 0; i < n; i++) {
                    double r = y[i] - rho * z[i];
                    squared += r * r;
                }
                quotients[j] = rho;
            }
        }
        return new Result(rows, Math.sqrt(squared), quotients);
    }
}
