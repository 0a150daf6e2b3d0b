package dev.lasermesh.core.spectrum;

import java.util.Map;

/**
 * LASER's rank fraction ρ (Sharma, Ash, Misra, "The Truth is in There: Improving Reasoning in
 * Language Models with Layer-Selective Rank Reduction", ICLR 2024; {@code do_low_rank} in
 * pratyushasharma/laser): k = ⌊ρ·min(m, n)⌋, at least 1.
 *
 * @param fraction ρ in (0, 1]
 */
public record FractionPolicy(double fraction) implements RankPolicy {

    public static final String NAME = "fraction";

    public FractionPolicy {
        PolicyParameters.requireInUnitInterval(fraction, "fraction", "--fraction");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        int k = Math.max(1, (int) (fraction * spectrum.maxRank()));
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), spectrum.maxRank(),
                Map.of("fraction", fraction), null, k, "LASER rank fraction: k = floor(rho*min(m,n)), at least 1");
    }
}
