package dev.lasermesh.core.bench;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import dev.lasermesh.core.eval.kernel.Sgemm;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.reduce.MatrixProduct;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;

/**
 * {@code lasermesh bench truncate}: the product that makes a rank-k truncation, W_k = U_k·diag(s_k)·V_kᵀ
 * ({@code RankTruncation}; the calibrated methods' activation errors and factors use the same product),
 * by Lasermesh's {@link MatrixProduct} (pure Java, Vector API, the common fork-join pool) against
 * OpenBLAS's {@code cblas_dgemm} of the same operands (diag(s) folded into U beforehand, untimed) in the
 * same run, with as many OpenBLAS threads as the pool has workers and the caller: the product a Java user
 * of a BLAS binding would call. The Java side is warmed up on products with partial tiles, as a real
 * reduction runs them (k, out and in are rarely multiples of the tile): a warm-up on whole tiles alone
 * hid a micro-kernel that C2 recompiled with boxed vectors after its first partial tile, twenty times
 * slower. Prints the best time of each side, GFlop/s, the ratio and the largest difference of the two
 * products relative to the largest entry; asserts nothing.
 */
public final class TruncateBenchmark {

    /**
     * @param rows    out, rows of W
     * @param cols    in, columns of W
     * @param rank    k
     * @param repeats timed repetitions per side; the best is reported
     * @param seed    seed of the Gaussian factors
     */
    public record Options(int rows, int cols, int rank, int repeats, long seed) {

        public Options {
            if (rows < 1 || cols < 1 || rank < 1 || rank > Math.min(rows, cols) || repeats < 1) {
                throw new IllegalArgumentException("a " + rows + "x" + cols + " product at rank " + rank + ", "
                        + repeats + " repeats: the rank must lie between 1 and the smaller dimension, repeats ≥ 1");
            }
        }

        /** A Llama-2-7B attention projection (4096×4096) truncated to k = 1001, best of 3. */
        public static Options defaults() {
            return new Options(4096, 4096, 1001, 3, 20261206L);
        }
    }

    private TruncateBenchmark() {
    }

    /** Runs both sides and prints the comparison to {@code out}. */
    public static void run(PrintStream out, Options o) {
        SplittableRandom random = new SplittableRandom(o.seed());
        DenseMatrix u = gaussian(o.rows(), o.rank(), random);
        DenseMatrix vt = gaussian(o.rank(), o.cols(), random);
        double[] s = new double[o.rank()];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1.0 / (i + 1);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        double flops = 2.0 * o.rows() * o.cols() * o.rank();
        out.printf(Locale.ROOT, "rank-%d truncation product U_k·diag(s)·V_kᵀ of a %dx%d matrix in float64, %d threads"
                + " each side, best of %d%n", o.rank(), o.rows(), o.cols(), threads, o.repeats());
        out.println("  java: MatrixProduct (Vector API micro-kernel, fork-join pool), warmed up on partial tiles");
        out.println("  baseline: cblas_dgemm, " + OpenBlasConfig.inProcess());

        warmUp(random);
        DenseMatrix java = null;
        double javaSeconds = Double.POSITIVE_INFINITY;
        for (int r = 0; r < o.repeats(); r++) {
            long start = System.nanoTime();
            java = MatrixProduct.multiply(u, s, vt, o.rank());
            javaSeconds = Math.min(javaSeconds, (System.nanoTime() - start) / 1e9);
        }

        double[] blas = new double[o.rows() * o.cols()];
        double blasSeconds = Double.POSITIVE_INFINITY;
        Sgemm.useThreadsForCaller(threads);
        try (DoublePointer a = new DoublePointer(scaledColumns(u, s)); DoublePointer b = new DoublePointer(vt.data());
             DoublePointer c = new DoublePointer((long) o.rows() * o.cols())) {
            for (int r = 0; r < o.repeats(); r++) {
                long start = System.nanoTime();
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, o.rows(), o.cols(), o.rank(), 1.0, a, o.rank(),
                        b, o.cols(), 0.0, c, o.cols());
                blasSeconds = Math.min(blasSeconds, (System.nanoTime() - start) / 1e9);
            }
            c.get(blas);
        }

        out.printf(Locale.ROOT, "  %-10s %8.3f s  %7.1f GFlop/s%n", "java", javaSeconds, flops / javaSeconds / 1e9);
        out.printf(Locale.ROOT, "  %-10s %8.3f s  %7.1f GFlop/s%n", "openblas", blasSeconds, flops / blasSeconds / 1e9);
        out.printf(Locale.ROOT, "  largest |W_k(java) - W_k(openblas)| / largest |W_k|: %.1e%n",
                LargestDifference.relativeToLargest(java.data(), blas));
        out.printf(Locale.ROOT, "  ratio java / openblas (time of openblas over time of java): %.2fx%n",
                blasSeconds / javaSeconds);
    }

    /** Products of the odd shapes a reduction meets, so the kernel runs its partial tiles before it is timed. */
    private static void warmUp(SplittableRandom random) {
        DenseMatrix left = gaussian(301, 77, random);
        DenseMatrix right = gaussian(77, 299, random);
        for (int i = 0; i < 200; i++) {
            MatrixProduct.multiply(left, null, right, 77);
        }
    }

    private static double[] scaledColumns(DenseMatrix u, double[] s) {
        double[] scaled = u.data().clone();
        for (int i = 0; i < u.rows(); i++) {
            for (int j = 0; j < u.cols(); j++) {
                scaled[i * u.cols() + j] *= s[j];
            }
        }
        return scaled;
    }

    private static DenseMatrix gaussian(int rows, int cols, SplittableRandom random) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextGaussian();
        }
        return new DenseMatrix(rows, cols, d);
    }
}
