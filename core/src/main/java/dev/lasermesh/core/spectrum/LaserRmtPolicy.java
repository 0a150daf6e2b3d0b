package dev.lasermesh.core.spectrum;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * laserRMT's threshold (Fernandes Neto, Golchinfar, Hartford, "Optimizing Large Language Models Using
 * Layer-Selective Rank Reduction and Random Matrix Theory", 2024; repository
 * cognitivecomputations/laserRMT, {@code rmt_laser.py}), reproduced bit for bit:
 * σ = (Q75(S) − Q25(S)) / 1.349 with NumPy/torch linear quantiles of the singular values themselves,
 * threshold = σ·(1 + √β), k = #{S &gt; threshold}.
 *
 * <p>It is a heuristic, not the Marchenko–Pastur noise edge: the IQR of the singular values is not
 * the entry noise level, and no √n scaling is applied. On pure Gaussian noise it keeps about 24% of
 * a square spectrum and all of a rectangular one (see {@code reference/anchors-algorithms.md} §1.1).
 * Kept for compatibility; {@link MpEdgePolicy} is the textbook rule.
 */
public record LaserRmtPolicy() implements RankPolicy {

    public static final String NAME = "laserrmt";

    /** 1.349 ≈ 2·Φ⁻¹(0.75): the IQR of a standard normal, laserRMT's IQR-to-σ factor. */
    private static final double IQR_OF_STANDARD_NORMAL = 1.349;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        double[] s = spectrum.values();
        double q25 = Quantiles.quantile(s, 0.25);
        double q75 = Quantiles.quantile(s, 0.75);
        double sigma = (q75 - q25) / IQR_OF_STANDARD_NORMAL;
        double beta = spectrum.beta();
        double threshold = sigma * (1 + Math.sqrt(beta));
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("q25", q25);
        inputs.put("q75", q75);
        inputs.put("sigma", sigma);
        inputs.put("beta", beta);
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), spectrum.maxRank(), inputs, threshold,
                spectrum.countAbove(threshold),
                "heuristic, not the MP noise edge; on pure noise it keeps 24% (square) to 100% (rectangular)"
                        + " of the spectrum");
    }
}
