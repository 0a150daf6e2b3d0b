package dev.lasermesh.core.bench;

import static org.bytedeco.openblas.global.openblas.CblasRight;
import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasNonUnit;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dpotrf;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;
import static org.bytedeco.openblas.global.openblas.cblas_dtrsm;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Benchmark matrices with the spectra real weights have: W = U·diag(σ)·Vᵀ rounded to float32, with
 * U (p×p) and V (q×p) orthonormal (Cholesky-QR, twice, of seeded Gaussian matrices: Fukaya et al.,
 * "CholeskyQR2", ScalA 2014, orthonormal to working precision when cond(X) &lt; 1e7) and σ a
 * heavy-tailed head with a trailing tail:
 * <ul>
 * <li>σ_i = (i+1)^(−1/2) for the first p − p/64 values: eigenvalues λ_i ∝ 1/i, an empirical spectral
 *     density with power-law exponent μ = 2, in the range Martin &amp; Mahoney report for trained
 *     layers ("Implicit self-regularization in deep neural networks", JMLR 22 (2021), §5);</li>
 * <li>the last p/64 values falling geometrically to σ_0/cond: a square weight's smallest singular
 *     values trail off towards zero, which is where real matrices get cond 1e3–1e6.</li>
 * </ul>
 * The singular values of the float32 matrix differ from σ by the rounding to float32 (about
 * 1e-8·σ_0 absolutely), so the benchmark compares against NumPy on the very same values, not σ.
 */
public final class HeavyTailedSpectrum {

    private HeavyTailedSpectrum() {
    }

    /** The designed σ, descending: a geometric tail of p/64 values (at least one). */
    static double[] sigma(int p, double cond) {
        return powerLawWithTail(p, Math.max(1, p / 64), cond);
    }

    /**
     * A power-law head σ_i = (i+1)^(−1/2) over the first p − tail values, then a geometric tail of
     * {@code tail} values falling to σ_0/cond: the shape of a weight matrix whose last few singular
     * values trail off towards zero.
     */
    public static double[] powerLawWithTail(int p, int tail, double cond) {
        int head = p - tail;
        double[] sigma = new double[p];
        for (int i = 0; i < head; i++) {
            sigma[i] = Math.pow(i + 1, -0.5);
        }
        double ratio = Math.pow(sigma[head - 1] * cond, -1.0 / tail);
        for (int i = head; i < p; i++) {
            sigma[i] = sigma[i - 1] * ratio;
        }
        return sigma;
    }

    /** The rows×cols matrix, as float32 row-major, for the designed σ of min(rows, cols) values. */
    static float[] matrix(MatrixShape shape, double cond, long seed) {
        int p = Math.min(shape.rows(), shape.cols());
        int q = Math.max(shape.rows(), shape.cols());
        double[] sigma = sigma(p, cond);
        SplittableRandom random = new SplittableRandom(seed);
        try (DoublePointer u = orthonormal(p, p, random);
             DoublePointer v = orthonormal(q, p, random);
             DoublePointer w = new DoublePointer((long) p * q)) {
            for (int i = 0; i < p; i++) {
                for (int k = 0; k < p; k++) {
                    long at = (long) i * p + k;
                    u.put(at, u.get(at) * sigma[k]);
                }
            }
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, p, q, p, 1.0, u, p, v, p, 0.0, w, q);
            float[] out = new float[Math.multiplyExact(p, q)];
            boolean wide = shape.rows() <= shape.cols();
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < q; j++) {
                    float value = (float) w.get((long) i * q + j);
                    out[wide ? i * q + j : j * p + i] = value;
                }
            }
            return out;
        }
    }

    /** An n×p matrix (n ≥ p, row-major, native) with orthonormal columns: CholeskyQR2 of a Gaussian one. */
    private static DoublePointer orthonormal(int n, int p, SplittableRandom random) {
        DoublePointer x = new DoublePointer((long) n * p);
        for (long i = 0; i < (long) n * p; i++) {
            x.put(i, random.nextGaussian());
        }
        try (DoublePointer r = new DoublePointer((long) p * p)) {
            for (int pass = 0; pass < 2; pass++) {
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, p, n, 1.0, x, p, 0.0, r, p);
                int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, (byte) 'U', p, r, p);
                if (info != 0) {
                    throw new ArithmeticException("Cholesky-QR of a " + n + "x" + p + " Gaussian matrix failed (dpotrf "
                            + info + "); try another --seed");
                }
                cblas_dtrsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans,
                        CblasNonUnit, n, p, 1.0, r, p, x, p);
            }
        }
        return x;
    }
}
