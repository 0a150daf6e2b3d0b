package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.core.spectrum.EsdHistogram;
import dev.lasermesh.core.spectrum.EsdScale;
import dev.lasermesh.core.spectrum.MarchenkoPasturBulk;
import dev.lasermesh.core.spectrum.RankDecision;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import java.util.List;

/**
 * What the dashboard draws for one matrix's empirical spectral density (ESD): core's {@link EsdHistogram}
 * (the singular values or their squares binned, with the Marchenko–Pastur noise bulk fitted from the
 * median singular value), the same histogram as a density so that the MP density can be overlaid on
 * it, the MP density as a smooth curve, and where each rank policy cuts the spectrum.
 *
 * @param tensor           the matrix
 * @param rows             rows of the matrix
 * @param cols             columns of the matrix
 * @param scale            what is binned: singular values or their squares
 * @param edges            bin edges on that scale, ascending
 * @param counts           singular values per bin
 * @param density          counts[i] / (m·width_i): the ESD as a density, integrating to 1 like the MP density
 * @param mpSigma          the fitted entry noise level σ̂
 * @param bulk             the noise bulk's support on the scale; null when σ̂ = 0 (no noise curve)
 * @param mpCurve          [x, MP density at x] at {@value #CURVE_POINTS} points inside the bulk (empty without one)
 * @param mpExpectedCounts the values per bin the MP law expects, comparable with {@code counts}
 * @param policies         each of the seven policies' decision on this matrix and where it cuts
 */
public record SpectrumChart(String tensor, int rows, int cols, EsdScale scale, double[] edges, long[] counts,
                            double[] density, double mpSigma, Bulk bulk, double[][] mpCurve,
                            double[] mpExpectedCounts, List<PolicyLine> policies) {

    /** Points of the MP density curve. */
    public static final int CURVE_POINTS = 200;

    /**
     * The noise bulk σ̂(√n ∓ √m) on the chart's scale.
     *
     * @param lower the smallest singular value (or its square) of the bulk
     * @param upper the largest: the {@code mp-edge} threshold
     */
    public record Bulk(double lower, double upper) {
    }

    /**
     * One policy's decision drawn as a vertical line.
     *
     * @param spec  the policy with the parameter it was applied with ({@link ComparedPolicies})
     * @param k     the rank it keeps
     * @param line  where the line is drawn, on the chart's scale: the policy's threshold, or for a policy
     *              that chooses k without one, the value midway between the last kept and the first dropped
     *              singular value (0 when it keeps them all), which keeps the same k
     * @param cut   true when {@code line} is that midway value rather than the policy's own threshold
     * @param ofJob true for the policy the job itself uses
     */
    public record PolicyLine(RankPolicySpec spec, int k, double line, boolean cut, boolean ofJob) {
    }

    /**
     * Computes the chart of a matrix.
     *
     * @param jobPolicy the job's policy (null for laser-grid, which has none)
     * @param bins      number of histogram bins, ≥ 1
     */
    public static SpectrumChart of(String tensor, SingularSpectrum spectrum, RankPolicySpec jobPolicy, int bins,
                                   EsdScale scale) {
        EsdHistogram histogram = EsdHistogram.of(spectrum, bins, scale);
        double[] edges = histogram.edges();
        long[] counts = histogram.counts();
        double[] density = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            density[i] = counts[i] / (spectrum.maxRank() * (edges[i + 1] - edges[i]));
        }
        double sigma = histogram.mpSigma();
        Bulk bulk = null;
        double[][] curve = new double[0][];
        if (sigma > 0) {
            MarchenkoPasturBulk mp = new MarchenkoPasturBulk(spectrum.rows(), spectrum.cols(), sigma);
            bulk = new Bulk(onScale(mp.lowerSingularEdge(), scale), onScale(mp.upperSingularEdge(), scale));
            curve = curve(mp, bulk, scale);
        }
        List<PolicyLine> lines = ComparedPolicies.forJob(jobPolicy).stream()
                .map(spec -> line(spec, spectrum, scale, spec.equals(jobPolicy))).toList();
        return new SpectrumChart(tensor, spectrum.rows(), spectrum.cols(), scale, edges, counts, density, sigma, bulk,
                curve, histogram.mpExpectedCounts(), lines);
    }

    /** The MP density at points spread evenly over the open support (it may be unbounded at an edge). */
    private static double[][] curve(MarchenkoPasturBulk mp, Bulk bulk, EsdScale scale) {
        double[][] points = new double[CURVE_POINTS][];
        for (int i = 0; i < CURVE_POINTS; i++) {
            double x = bulk.lower() + (bulk.upper() - bulk.lower()) * (i + 0.5) / CURVE_POINTS;
            double y = scale == EsdScale.SQUARED ? mp.squaredDensity(x) : mp.singularValueDensity(x);
            points[i] = new double[] {x, y};
        }
        return points;
    }

    private static PolicyLine line(RankPolicySpec spec, SingularSpectrum spectrum, EsdScale scale, boolean ofJob) {
        RankDecision decision = spec.toPolicy().decide(spectrum);
        int k = decision.k();
        if (decision.threshold() != null) {
            return new PolicyLine(spec, k, onScale(decision.threshold(), scale), false, ofJob);
        }
        double midway = k < spectrum.maxRank() ? (spectrum.value(k - 1) + spectrum.value(k)) / 2 : 0;
        return new PolicyLine(spec, k, onScale(midway, scale), true, ofJob);
    }

    private static double onScale(double singularValue, EsdScale scale) {
        return scale == EsdScale.SQUARED ? singularValue * singularValue : singularValue;
    }
}
