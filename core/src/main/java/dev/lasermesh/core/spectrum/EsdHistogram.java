package dev.lasermesh.core.spectrum;

import java.util.Arrays;
import java.util.Objects;

/**
 * A histogram of a matrix's empirical spectral distribution with the Marchenko–Pastur noise bulk
 * overlaid, for the dashboard: the bins where the measured spectrum stands above the curve are the
 * signal the rank policies try to keep.
 *
 * <p>The noise level of the curve is fitted from the median singular value ({@link MedianNoiseFit}),
 * as the {@code mp-edge} policy does. The bins split [lo, hi] evenly, where [lo, hi] covers both the
 * data and the MP bulk; every bin is half-open [e_i, e_{i+1}) except the last, which is closed
 * (NumPy's {@code histogram} convention). When the fitted σ̂ is 0 (more than half of the singular
 * values are 0) there is no noise curve and {@code mpDensity} and {@code mpExpectedCounts} are empty.
 *
 * @param scale            what is binned: singular values or their squares
 * @param edges            bins + 1 ascending bin edges
 * @param counts           number of singular values per bin
 * @param mpSigma          the fitted entry noise level σ̂
 * @param mpDensity        the MP density of the binned variable at each bin centre (integrates to 1)
 * @param mpExpectedCounts the expected number of the m values per bin under the MP law:
 *                         m·(F(e_{i+1}) − F(e_i)), comparable with {@code counts}
 */
public record EsdHistogram(EsdScale scale, double[] edges, long[] counts, double mpSigma, double[] mpDensity,
                           double[] mpExpectedCounts) {

    public EsdHistogram {
        Objects.requireNonNull(scale, "scale");
        edges = edges.clone();
        counts = counts.clone();
        mpDensity = mpDensity.clone();
        mpExpectedCounts = mpExpectedCounts.clone();
    }

    /**
     * Bins the spectrum into {@code bins} equal bins over {@code scale}.
     *
     * @throws IllegalArgumentException when bins &lt; 1
     */
    public static EsdHistogram of(SingularSpectrum spectrum, int bins, EsdScale scale) {
        if (bins < 1) {
            throw new IllegalArgumentException("ESD histogram needs at least 1 bin, got " + bins);
        }
        double[] x = spectrum.values();
        if (scale == EsdScale.SQUARED) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= x[i];
            }
        }
        double sigma = MedianNoiseFit.of(spectrum).sigma();
        MarchenkoPasturBulk bulk = sigma > 0 ? new MarchenkoPasturBulk(spectrum.rows(), spectrum.cols(), sigma)
                : null;
        double lo = x[x.length - 1];
        double hi = x[0];
        if (bulk != null) {
            lo = Math.min(lo, onScale(bulk.lowerSingularEdge(), scale));
            hi = Math.max(hi, onScale(bulk.upperSingularEdge(), scale));
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = lo + (hi - lo) * i / bins;
        }
        edges[bins] = hi;
        long[] counts = new long[bins];
        for (double v : x) {
            counts[binOf(v, edges)]++;
        }
        if (bulk == null) {
            return new EsdHistogram(scale, edges, counts, sigma, new double[0], new double[0]);
        }
        double[] density = new double[bins];
        double[] expected = new double[bins];
        for (int i = 0; i < bins; i++) {
            double centre = (edges[i] + edges[i + 1]) / 2;
            density[i] = scale == EsdScale.SQUARED ? bulk.squaredDensity(centre) : bulk.singularValueDensity(centre);
            expected[i] = x.length * (cdf(bulk, scale, edges[i + 1]) - cdf(bulk, scale, edges[i]));
        }
        return new EsdHistogram(scale, edges, counts, sigma, density, expected);
    }

    private static double onScale(double singularValue, EsdScale scale) {
        return scale == EsdScale.SQUARED ? singularValue * singularValue : singularValue;
    }

    private static double cdf(MarchenkoPasturBulk bulk, EsdScale scale, double x) {
        return scale == EsdScale.SQUARED ? bulk.squaredCdf(x) : bulk.singularValueCdf(x);
    }

    /** The bin holding v: the i with e_i ≤ v &lt; e_{i+1}, the last bin also holding v = hi. */
    private static int binOf(double v, double[] edges) {
        int bins = edges.length - 1;
        int i = (int) ((v - edges[0]) / (edges[bins] - edges[0]) * bins);
        i = Math.clamp(i, 0, bins - 1);
        while (i > 0 && v < edges[i]) {
            i--;
        }
        while (i < bins - 1 && v >= edges[i + 1]) {
            i++;
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EsdHistogram h && scale == h.scale && Arrays.equals(edges, h.edges)
                && Arrays.equals(counts, h.counts) && Double.compare(mpSigma, h.mpSigma) == 0
                && Arrays.equals(mpDensity, h.mpDensity) && Arrays.equals(mpExpectedCounts, h.mpExpectedCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scale, Arrays.hashCode(edges), Arrays.hashCode(counts), mpSigma,
                Arrays.hashCode(mpDensity), Arrays.hashCode(mpExpectedCounts));
    }

    @Override
    public String toString() {
        return "EsdHistogram[" + scale + ", " + counts.length + " bins, sigma=" + mpSigma + "]";
    }
}
