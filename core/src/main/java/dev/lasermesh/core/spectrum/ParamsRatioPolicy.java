package dev.lasermesh.core.spectrum;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses k from a parameter budget: the factored form U_k·√S_k (m·k) and √S_k·V_kᵀ (k·n) holds
 * k(m + n) numbers against m·n for the dense matrix, so a parameter ratio r gives
 * k = ⌊r·m·n/(m + n)⌋, at least 1. r = 1 is the break-even rank ⌊mn/(m+n)⌋ (the initial rank of
 * SFSD-LLM, nyunAI, ACL 2024).
 *
 * @param paramsRatio r in (0, 1]
 */
public record ParamsRatioPolicy(double paramsRatio) implements RankPolicy {

    public static final String NAME = "params";

    public ParamsRatioPolicy {
        PolicyParameters.requireInUnitInterval(paramsRatio, "paramsRatio", "--params-ratio");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        long product = (long) spectrum.rows() * spectrum.cols();
        int sum = spectrum.rows() + spectrum.cols();
        int k = Math.max(1, (int) Math.floor(paramsRatio * product / sum));
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("paramsRatio", paramsRatio);
        inputs.put("breakEvenRank", (double) (product / sum));
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), spectrum.maxRank(), inputs, null, k,
                "k = floor(r*m*n/(m+n)), at least 1: the factored form keeps about r of the dense parameters");
    }
}
