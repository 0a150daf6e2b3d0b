package dev.lasermesh.core.bench;

import dev.lasermesh.core.calibrate.InputStatistics;
import dev.lasermesh.core.calibrate.WhitenedDecomposition;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.OpenBlasLinearAlgebra;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixProduct;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bytedeco.openblas.global.openblas;

/**
 * {@code lasermesh bench whiten}: SVD-LLM's whitening (DESIGN §7.4) of one 7B-sized matrix, Lasermesh's
 * {@link WhitenedDecomposition} (Cholesky of C = XᵀX, W·S by a triangular product, all singular values
 * of W·S for the rank policy, the k leading triplets, B = √Σ_k·V_kᵀ·S⁻¹ by a triangular solve) next to
 * NumPy ({@link NumpyWhitenBaseline}: cholesky, W @ S, svd with vectors, solve) in the same run on the
 * same W and C, one BLAS thread each on the OpenBLAS kernel each library picks for this CPU (the rules
 * of {@link SpectrumBenchmark}: {@link KernelOverrides}). Checks that both give the same σ of W·S and
 * the same W_k (on probe vectors). Prints the ratio; asserts nothing.
 *
 * <p>Inputs, seeded: W Gaussian N(0, 0.02²) rounded to float32, as {@code bench synthetic-model}'s
 * weights; X = T rows of synthetic activations, float32, standard normal times a log-normal scale per
 * input channel with one channel in a hundred a ×20 outlier (the "massive activations" of real
 * models); C = XᵀX accumulated in float64 by {@link InputStatistics} as calibration does (untimed),
 * T = cols + 1024 rows so that C is positive definite and no damping is needed.
 */
public final class WhitenBenchmark {

    static final double BAR_SPEEDUP = 2.0;
    private static final int PROBES = 8;
    private static final int ROWS_PER_ADD = 1024;

    /**
     * @param shape       W's shape, out × in
     * @param rank        k of the factors
     * @param repetitions timed runs per side (best reported)
     * @param seed        seed of W, X and the probes
     * @param python      the python executable with NumPy
     */
    public record Options(MatrixShape shape, int rank, int repetitions, long seed, String python) {

        public Options {
            if (rank < 1 || rank > Math.min(shape.rows(), shape.cols())) {
                throw new IllegalArgumentException("--rank must be in 1.." + Math.min(shape.rows(), shape.cols())
                        + " for " + shape + ", got " + rank);
            }
        }

        /**
         * Llama-2-7B's mlp.down_proj: W 4096 out × 11008 in (C is 11008×11008), k = 1024 (a quarter of
         * min(out, in), the k_quarter of the corpus fixture), one repetition, seed 20261206, python3.
         */
        public static Options defaults() {
            return new Options(new MatrixShape(4096, 11008), 1024, 1, 20261206L, "python3");
        }
    }

    private WhitenBenchmark() {
    }

    /** Runs both sides and prints the comparison; reruns in a child JVM first when OpenBLAS's kernel is forced. */
    public static void run(PrintStream out, Options o) {
        if (KernelOverrides.rerunWithout(out)) {
            return;
        }
        int rows = o.shape().rows();
        int cols = o.shape().cols();
        int tokens = cols + ROWS_PER_ADD;
        out.printf(Locale.ROOT, "Lasermesh whitening benchmark (SVD-LLM, DESIGN §7.4): W %dx%d (out x in), C = X^T X "
                + "of %d synthetic activation rows (%dx%d, float64), k = %d, one BLAS thread each side%n", rows, cols,
                tokens, cols, cols, o.rank());
        out.printf(Locale.ROOT, "machine: %d processors, load average %.2f at start, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version());
        out.println("Lasermesh BLAS: " + OpenBlasConfig.inProcess());
        openblas.blas_set_num_threads(1);
        OpenBlasLinearAlgebra linearAlgebra = new OpenBlasLinearAlgebra(1);
        whiten(DenseMatrix.fromFloats(64, 96, SpectrumBenchmark.gaussian(new MatrixShape(64, 96), o.seed())),
                gram(96, 96 + 32, o.seed()), 8, linearAlgebra);
        DenseMatrix w = weights(o.shape(), o.seed());
        DenseMatrix c = gram(cols, tokens, o.seed());
        DenseMatrix probes = DenseMatrix.fromFloats(cols, PROBES, SpectrumBenchmark.gaussian(
                new MatrixShape(cols, PROBES), o.seed() + 1));
        Path directory = null;
        try {
            directory = Files.createTempDirectory("lasermesh-bench-whiten");
            Path wFile = directory.resolve("w.f64");
            Path cFile = directory.resolve("c.f64");
            Path pFile = directory.resolve("probes.f64");
            RawFloat64.write(wFile, w.data());
            RawFloat64.write(cFile, c.data());
            RawFloat64.write(pFile, probes.data());
            NumpyWhitenBaseline.Result numpy = new NumpyWhitenBaseline(o.python()).run(wFile, cFile, pFile, rows, cols,
                    o.rank(), PROBES, o.repetitions(), directory);
            out.println("NumPy " + numpy.numpyVersion() + " BLAS: " + numpy.blas());
            double best = Double.POSITIVE_INFINITY;
            Result result = null;
            for (int r = 0; r < o.repetitions(); r++) {
                long start = System.nanoTime();
                result = whiten(w, c, o.rank(), linearAlgebra);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            double[] outputs = MatrixProduct.multiply(result.factors().a(), null,
                    MatrixProduct.multiply(result.factors().b(), null, probes, cols), o.rank()).data();
            double spectrumDifference = SpectrumBenchmark.maxRelativeDifference(result.spectrum(), numpy.singularValues());
            double outputDifference = relativeFrobenius(outputs, numpy.probeOutputs());
            out.printf(Locale.ROOT, "%n%-34s %10s %10s %s%n", "side", "seconds", "vs NumPy", "what");
            out.printf(Locale.ROOT, "%-34s %10.2f %10s %s%n", "numpy (1 thread)", numpy.seconds(), "1.00x",
                    "cholesky + W@S + svd(full_matrices=False) + solve: " + numpy.phases());
            out.printf(Locale.ROOT, "%-34s %10.2f %9.2fx %s%n", "lasermesh-openblas (1 thread)", best,
                    numpy.seconds() / best, "dpotrf + dtrmm + all σ of W·S + top-" + o.rank() + " triplets + dtrsm");
            out.printf(Locale.ROOT, "λ: lasermesh %.3g, numpy %.3g; max rel diff of σ(W·S) over σ ≥ 1e-3·σ_max %.2e;"
                    + " ‖W_k·P − W_k,numpy·P‖/‖W_k,numpy·P‖ on %d probe vectors %.2e%n", result.lambda(), numpy.lambda(),
                    spectrumDifference, PROBES, outputDifference);
            double speedup = numpy.seconds() / best;
            out.printf(Locale.ROOT, "bar (≥ %.0fx NumPy): %.2fx -> %s%n", BAR_SPEEDUP, speedup,
                    speedup >= BAR_SPEEDUP ? "MET" : "NOT MET");
        } catch (IOException e) {
            throw new UncheckedIOException("bench whiten: " + e.getMessage(), e);
        } finally {
            SpectrumBenchmark.deleteTemporary(directory);
        }
    }

    /** What Lasermesh's whitening gives: the policy's spectrum, the rank-k factors and λ. */
    record Result(double[] spectrum, LowRankFactors factors, double lambda) {
    }

    /** The timed unit: decomposition, the full spectrum and the factors of rank k. */
    static Result whiten(DenseMatrix w, DenseMatrix c, int k, OpenBlasLinearAlgebra linearAlgebra) {
        WhitenedDecomposition d = WhitenedDecomposition.of("bench", w, c, linearAlgebra);
        return new Result(d.spectrum(), d.factors(k), d.lambda());
    }

    /** Gaussian N(0, 0.02²) weights rounded to float32. */
    static DenseMatrix weights(MatrixShape shape, long seed) {
        float[] values = SpectrumBenchmark.gaussian(shape, seed);
        for (int i = 0; i < values.length; i++) {
            values[i] *= 0.02f;
        }
        return DenseMatrix.fromFloats(shape.rows(), shape.cols(), values);
    }

    /** XᵀX of {@code tokens} synthetic activation rows of {@code width} channels, accumulated as calibration does. */
    static DenseMatrix gram(int width, int tokens, long seed) {
        SplittableRandom random = new SplittableRandom(seed + 2);
        float[] scale = new float[width];
        for (int j = 0; j < width; j++) {
            scale[j] = (float) (Math.exp(0.5 * random.nextGaussian()) * (j % 100 == 7 ? 20 : 1));
        }
        InputStatistics statistics = new InputStatistics(width);
        float[] x = new float[ROWS_PER_ADD * width];
        for (int done = 0; done < tokens; done += ROWS_PER_ADD) {
            int count = Math.min(ROWS_PER_ADD, tokens - done);
            for (int i = 0; i < count * width; i++) {
                x[i] = (float) random.nextGaussian() * scale[i % width];
            }
            statistics.add(count == ROWS_PER_ADD ? x : Arrays.copyOf(x, count * width), count);
        }
        return statistics.gram();
    }

    private static double relativeFrobenius(double[] values, double[] reference) {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < reference.length; i++) {
            difference += (values[i] - reference[i]) * (values[i] - reference[i]);
            norm += reference[i] * reference[i];
        }
        return Math.sqrt(difference / norm);
    }
}
