package dev.lasermesh.core.spectrum;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the smallest k whose squared singular values hold at least the fraction e of ΣS² (the
 * "energy"; by Eckart–Young the relative squared Frobenius error of the rank-k truncation is then at
 * most 1 − e). k ≥ 1; a zero matrix gets k = 1.
 *
 * @param energy e in (0, 1]
 */
public record EnergyPolicy(double energy) implements RankPolicy {

    public static final String NAME = "energy";

    public EnergyPolicy {
        PolicyParameters.requireInUnitInterval(energy, "energy", "--energy");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        double[] s = spectrum.values();
        double total = SpectralStatistics.sumOfSquares(s, 0, s.length);
        double kept = 0;
        int k = 0;
        do {
            kept += s[k] * s[k];
            k++;
        } while (k < s.length && kept / total < energy);
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("energy", energy);
        inputs.put("energyKept", SpectralStatistics.energyKept(s, k));
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), spectrum.maxRank(), inputs, null, k,
                "smallest k with sum of the top-k S^2 >= e * sum of all S^2");
    }
}
