package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebras;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link SevenBWidthMemoryTest}: {@code calibrate WIDTH ROWS FOLDER} accumulates the
 * statistics of ROWS synthetic activation rows of WIDTH channels (one window at a time), writes them to a
 * {@link CalibrationStore}, reads them back and checks the trace and a corner of XᵀX against sums
 * computed here; {@code whiten OUT IN K} whitens a Gaussian OUT×IN matrix with the Gram of IN + 128 rows
 * and checks the activation error of rank K against the discarded singular values of W·S. Prints the
 * seconds each took; exits 1 with the reason on a mismatch.
 */
final class SevenBWidthChild {

    private static final int WINDOW = 128;

    private SevenBWidthChild() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        String failure = switch (args[0]) {
            case "calibrate" -> calibrate(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "whiten" -> whiten(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> "unknown mode " + args[0];
        };
        System.out.printf(Locale.ROOT, "%s took %.1f s%n", args[0], (System.nanoTime() - start) / 1e9);
        if (failure != null) {
            System.out.println("FAILED: " + failure);
            System.exit(1);
        }
    }

    /** Window w of the synthetic activations: Gaussian, channel j scaled by 1 + j mod 7. */
    static float[] window(int w, int rows, int width) {
        SplittableRandom random = new SplittableRandom(1000L + w);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * (1 + (i % width) % 7));
        }
        return x;
    }

    private static String calibrate(int width, int rows, Path folder) {
        InputStatistics statistics = new InputStatistics(width);
        double trace = 0;
        double corner = 0;
        for (int done = 0, w = 0; done < rows; done += WINDOW, w++) {
            int count = Math.min(WINDOW, rows - done);
            float[] x = window(w, count, width);
            statistics.add(x, count);
            for (int t = 0; t < count; t++) {
                for (int j = 0; j < width; j++) {
                    trace += (double) x[t * width + j] * x[t * width + j];
                }
                corner += (double) x[t * width] * x[t * width + width - 1];
            }
        }
        CalibrationStore store = new CalibrationStore(folder);
        store.write(0, Map.of(LinearInput.MLP_HIDDEN, statistics));
        statistics = null;
        InputStatistics read = store.read(0, LinearInput.MLP_HIDDEN);
        double storedTrace = 0;
        for (int i = 0; i < width; i++) {
            storedTrace += read.gram(i, i);
        }
        double storedCorner = read.gram(0, width - 1);
        System.out.printf(Locale.ROOT, "width %d, %d rows: trace %.10e (direct %.10e), C[0][%d] %.10e (direct %.10e)%n",
                width, read.rows(), storedTrace, trace, width - 1, storedCorner, corner);
        if (read.rows() != rows) {
            return "rows " + read.rows() + " instead of " + rows;
        }
        if (Math.abs(storedTrace - trace) > 1e-12 * trace || Math.abs(storedCorner - corner) > 1e-9 * trace / width) {
            return "the stored statistics differ from the direct sums";
        }
        return null;
    }

    private static String whiten(int out, int in, int k) {
        InputStatistics statistics = new InputStatistics(in);
        for (int done = 0, w = 0; done < in + WINDOW; done += WINDOW, w++) {
            statistics.add(window(w, WINDOW, in), WINDOW);
        }
        DenseMatrix c = statistics.gram();
        statistics = null;
        SplittableRandom random = new SplittableRandom(7);
        double[] weights = new double[out * in];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (0.02 * random.nextGaussian());
        }
        DenseMatrix w = new DenseMatrix(out, in, weights);
        long start = System.nanoTime();
        WhitenedDecomposition d = WhitenedDecomposition.of("down_proj", w, c, LinearAlgebras.create(1));
        double[] sigma = d.spectrum();
        DenseMatrix wk = d.factors(k).product();
        double lambda = d.lambda();
        System.out.printf(Locale.ROOT, "whitening %dx%d, k %d: %.1f s%n", out, in, k, (System.nanoTime() - start) / 1e9);
        d = null;
        double all = 0;
        double discarded = 0;
        for (int i = 0; i < sigma.length; i++) {
            all += sigma[i] * sigma[i];
            discarded += i >= k ? sigma[i] * sigma[i] : 0;
        }
        double expected = Math.sqrt(discarded / all);
        double error = ActivationError.relative(w, wk, c);
        System.out.printf(Locale.ROOT, "λ %.3g, activation error %.10f, sqrt(Σ_{i>k} σ² / Σ σ²) %.10f%n", lambda, error,
                expected);
        if (lambda != 0) {
            return "XᵀX of " + (in + WINDOW) + " rows needed damping λ " + lambda;
        }
        return Math.abs(error - expected) <= 1e-6 * expected ? null
                : "the activation error is not the discarded part of the spectrum of W·S";
    }
}
