package dev.lasermesh.core.spectrum;

import java.util.Arrays;
import java.util.Locale;

/**
 * The singular values of one weight matrix together with its shape: everything a rank policy or a
 * spectral statistic needs. Validated once here so that the policies can rely on it.
 *
 * <p>Shape convention of DESIGN §3.1: the matrix W is rows × cols (out × in for a linear weight),
 * n = max(rows, cols), m = min(rows, cols), β = m/n ≤ 1. There are exactly m singular values,
 * finite, non-negative and descending (non-increasing), as {@code torch.linalg.svdvals} and
 * {@code numpy.linalg.svd} return them.
 *
 * @param values the m singular values, descending (the array is copied in and out)
 * @param rows   rows of W (out_features)
 * @param cols   columns of W (in_features)
 */
public record SingularSpectrum(double[] values, int rows, int cols) {

    public SingularSpectrum {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        if (values.length != Math.min(rows, cols)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a %dx%d matrix has %d singular values, got %d", rows, cols, Math.min(rows, cols),
                    values.length));
        }
        values = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "singular value S[%d] = %s is not a finite non-negative number", i, values[i]));
            }
            if (i > 0 && values[i] > values[i - 1]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "singular values must be descending: S[%d] = %s > S[%d] = %s", i, values[i], i - 1,
                        values[i - 1]));
            }
        }
    }

    /** A copy of the singular values, descending. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** S[i], the (i+1)-th largest singular value. */
    public double value(int i) {
        return values[i];
    }

    /** m = min(rows, cols): the number of singular values and the largest possible rank. */
    public int maxRank() {
        return values.length;
    }

    /** n = max(rows, cols). */
    public int largerDim() {
        return Math.max(rows, cols);
    }

    /** β = m/n, the aspect ratio of the Marchenko–Pastur law, in (0, 1]. */
    public double beta() {
        return (double) maxRank() / largerDim();
    }

    /** S[0]. */
    public double largest() {
        return values[0];
    }

    /** S[m−1]. */
    public double smallest() {
        return values[values.length - 1];
    }

    /** #{S &gt; threshold} (strict, as laserRMT); the kept set is the top of the descending list. */
    public int countAbove(double threshold) {
        int k = 0;
        while (k < values.length && values[k] > threshold) {
            k++;
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SingularSpectrum s && rows == s.rows && cols == s.cols
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SingularSpectrum[" + rows + "x" + cols + ", S[0]=" + values[0] + "]";
    }
}
