package dev.lasermesh.core.spectrum;

import java.util.Locale;

/**
 * Scalar statistics of a singular value spectrum (descending) for ranking matrices and for reports.
 * Sums run from the largest value down, as the reference implementations sum.
 */
public final class SpectralStatistics {

    private SpectralStatistics() {
    }

    /**
     * The signal-to-noise ratio of laserRMT's {@code rmt_laser_snr.py}: ΣS[S &gt; threshold] /
     * ΣS[S ≤ threshold], a ratio of sums of singular values (not of energies); +∞ when the noise sum
     * is 0.
     */
    public static double snr(double[] descending, double threshold) {
        double signal = 0;
        double noise = 0;
        for (double v : descending) {
            if (v > threshold) {
                signal += v;
            } else {
                noise += v;
            }
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : signal / noise;
    }

    /**
     * The SNR as Spectrum's {@code spectrum.py} computes it (commit 0ed1756b): ΣS[S &gt; threshold] /
     * ΣS[S ≤ threshold], with the noise sum taken as 1.0 when no value is at or below the threshold
     * (where {@link #snr} gives +∞); the signal sum is 0 when no value is above it; +∞ when the noise
     * sum is 0 (values at the threshold that are all zero).
     */
    public static double spectrumSnr(double[] descending, double threshold) {
        double signal = 0;
        double noise = 0;
        boolean anyNoise = false;
        for (double v : descending) {
            if (v > threshold) {
                signal += v;
            } else {
                noise += v;
                anyNoise = true;
            }
        }
        double denominator = anyNoise ? noise : 1.0;
        return denominator == 0 ? Double.POSITIVE_INFINITY : signal / denominator;
    }

    /**
     * Spectrum's layer score (Hartford et al., "Spectrum: Targeted Training on Signal to Noise
     * Ratio", arXiv 2406.06623; {@code spectrum.py}): the SNR divided by the largest singular value.
     */
    public static double snrOverLargest(double snr, double[] descending) {
        return snr / descending[0];
    }

    /** σ_max/σ_min; +∞ when σ_min = 0 (a rank-deficient matrix). */
    public static double conditionNumber(double[] descending) {
        double smallest = descending[descending.length - 1];
        return smallest == 0 ? Double.POSITIVE_INFINITY : descending[0] / smallest;
    }

    /** ‖W‖_F = √ΣS². */
    public static double frobeniusNorm(double[] descending) {
        return Math.sqrt(sumOfSquares(descending, 0, descending.length));
    }

    /**
     * Σ_{i&lt;k} S² / ΣS², the share of the squared Frobenius norm that the rank-k truncation keeps;
     * 1 for a zero matrix.
     */
    public static double energyKept(double[] descending, int k) {
        checkRank(descending, k);
        double total = sumOfSquares(descending, 0, descending.length);
        return total == 0 ? 1 : sumOfSquares(descending, 0, k) / total;
    }

    /**
     * ‖W − W_k‖_F = √(Σ_{i≥k} S²), the error of the best rank-k approximation (Eckart &amp; Young,
     * "The approximation of one matrix by another of lower rank", Psychometrika 1(3), 1936).
     */
    public static double frobeniusErrorAtRank(double[] descending, int k) {
        checkRank(descending, k);
        return Math.sqrt(sumOfSquares(descending, k, descending.length));
    }

    /** Σ values[i]², i in [from, to), summed in index order. */
    static double sumOfSquares(double[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i] * values[i];
        }
        return sum;
    }

    private static void checkRank(double[] descending, int k) {
        if (k < 0 || k > descending.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rank %d outside [0, %d]", k, descending.length));
        }
    }
}
