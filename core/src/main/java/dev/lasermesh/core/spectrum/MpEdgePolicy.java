package dev.lasermesh.core.spectrum;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The textbook Marchenko–Pastur bulk edge with the noise level fitted from the median singular
 * value (DESIGN §3.1): σ̂ = median(S) / √(n·μ_β) ({@link MedianNoiseFit}), and the largest
 * singular value of an n × m noise matrix of that entry level is σ̂·(√n + √m) ({@link
 * MarchenkoPasturBulk#upperSingularEdge()}; Marchenko &amp; Pastur 1967). Everything above it is kept.
 * The median fit is robust to a minority of signal values; on pure noise the rule keeps almost
 * nothing, unlike {@link LaserRmtPolicy}.
 */
public record MpEdgePolicy() implements RankPolicy {

    public static final String NAME = "mp-edge";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        MedianNoiseFit fit = MedianNoiseFit.of(spectrum);
        int m = spectrum.maxRank();
        double threshold = fit.sigma() * (Math.sqrt(spectrum.largerDim()) + Math.sqrt(m));
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("median", fit.median());
        inputs.put("mpMedian", fit.mpMedian());
        inputs.put("sigma", fit.sigma());
        inputs.put("beta", spectrum.beta());
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), m, inputs, threshold,
                spectrum.countAbove(threshold),
                "Marchenko-Pastur bulk edge sigma*(sqrt(n)+sqrt(m)), sigma fitted from the median singular value");
    }
}
