package dev.lasermesh.core.spectrum;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimal hard threshold for singular values under unknown noise level of M. Gavish and
 * D. L. Donoho, "The Optimal Hard Threshold for Singular Values is 4/√3", IEEE Trans. Inf. Theory
 * 60(8), 5040–5053, 2014: threshold = ω(β)·median(S) with ω(β) = λ*(β)/√μ_β, where
 * λ*(β) = √(2(β+1) + 8β/((β+1) + √(β²+14β+1))) is the optimal coefficient for known noise and μ_β
 * the median of the Marchenko–Pastur law ({@link MarchenkoPastur#median()}). For a square matrix
 * λ*(1) = 4/√3 and ω(1) ≈ 2.858.
 */
public record GavishDonohoPolicy() implements RankPolicy {

    public static final String NAME = "gavish-donoho";

    @Override
    public String name() {
        return NAME;
    }

    /** λ*(β), the optimal hard threshold coefficient for known noise level. */
    public static double lambdaStar(double beta) {
        return Math.sqrt(2 * (beta + 1) + 8 * beta / ((beta + 1) + Math.sqrt(beta * beta + 14 * beta + 1)));
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        double beta = spectrum.beta();
        MedianNoiseFit fit = MedianNoiseFit.of(spectrum);
        double lambdaStar = lambdaStar(beta);
        double omega = lambdaStar / Math.sqrt(fit.mpMedian());
        double threshold = omega * fit.median();
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("median", fit.median());
        inputs.put("mpMedian", fit.mpMedian());
        inputs.put("lambdaStar", lambdaStar);
        inputs.put("omega", omega);
        inputs.put("beta", beta);
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), spectrum.maxRank(), inputs, threshold,
                spectrum.countAbove(threshold),
                "Gavish-Donoho optimal hard threshold omega(beta)*median(S) for unknown noise level");
    }
}
