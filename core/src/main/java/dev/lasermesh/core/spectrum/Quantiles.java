package dev.lasermesh.core.spectrum;

import java.util.Arrays;
import java.util.Locale;

/**
 * Sample quantiles exactly as NumPy computes them by default, so that noise estimates built on
 * them reproduce the reference implementations bit for bit.
 *
 * <p>{@link #quantile} is NumPy's {@code method="linear"} (Hyndman &amp; Fan 1996, type 7; also
 * {@code torch.quantile}'s default): the ascending sample is interpolated linearly at position
 * p·(N−1), with NumPy's {@code _lerp} that computes from the nearer end point. {@link #median} is
 * {@code numpy.median}: the middle value, or the mean of the two middle values.
 */
public final class Quantiles {

    private Quantiles() {
    }

    /**
     * The p-quantile of {@code values} (any order) by linear interpolation at p·(N−1).
     *
     * @throws IllegalArgumentException when the sample is empty or holds NaN, or p is outside [0, 1]
     */
    public static double quantile(double[] values, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "quantile level must be in [0, 1], got %s", p));
        }
        double[] sorted = sortedCopy(values);
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return lerp(sorted[below], sorted[above], position - below);
    }

    /** The median as {@code numpy.median} computes it. */
    public static double median(double[] values) {
        double[] sorted = sortedCopy(values);
        int half = sorted.length / 2;
        if (sorted.length % 2 == 1) {
            return sorted[half];
        }
        return (sorted[half - 1] + sorted[half]) / 2;
    }

    /** NumPy's {@code _lerp}: interpolates from whichever end point is nearer, for accuracy. */
    private static double lerp(double a, double b, double t) {
        double difference = b - a;
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }

    private static double[] sortedCopy(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("quantile of an empty sample");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("quantile of a sample that holds NaN");
        }
        return sorted;
    }
}
