package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.spectrum.EnergyPolicy;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.ParamsRatioPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a job's {@code policy} with core's rules ({@link RankPolicySpec#toPolicy()}), attributing
 * each problem to a field: the policy name to {@code policy}, a parameter to {@code policy.<name>}.
 */
final class PolicyCheck {

    /** The one parameter each parameterised policy takes (RankPolicySpec's components). */
    private static final Map<String, String> PARAMETER = Map.of(FractionPolicy.NAME, "fraction",
            EnergyPolicy.NAME, "energy", FixedRankPolicy.NAME, "rank", ParamsRatioPolicy.NAME, "paramsRatio");

    private PolicyCheck() {
    }

    /** The policy to use: the given one checked, laserRMT's by default, none for {@code laser-grid}. */
    static RankPolicySpec resolve(RankPolicySpec given, StrategySpec strategy) {
        if (strategy instanceof StrategySpec.LaserGrid) {
            if (given != null) {
                throw new ContractException("laser-grid takes the rank of each grid point from strategy.rhos; "
                        + "leave policy out", "policy");
            }
            return null;
        }
        if (given == null) {
            return RankPolicySpec.named(LaserRmtPolicy.NAME);
        }
        if (given.policy() == null || !RankPolicySpec.NAMES.contains(given.policy())) {
            throw new ContractException((given.policy() == null ? "policy must name a rank policy: {\"policy\": ...}"
                    : "unknown rank policy " + Quoted.of(given.policy())) + " (valid: "
                    + String.join(", ", RankPolicySpec.NAMES) + ")", "policy");
        }
        String parameter = PARAMETER.get(given.policy());
        parameters(given).forEach((name, value) -> {
            if (value != null && !name.equals(parameter)) {
                throw new ContractException("policy " + given.policy() + " does not use " + name, "policy." + name);
            }
        });
        try {
            given.toPolicy();
        } catch (IllegalArgumentException e) {
            throw new ContractException(e.getMessage(), parameter == null ? "policy" : "policy." + parameter);
        }
        return given;
    }

    private static Map<String, Object> parameters(RankPolicySpec spec) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("fraction", spec.fraction());
        parameters.put("energy", spec.energy());
        parameters.put("rank", spec.rank());
        parameters.put("paramsRatio", spec.paramsRatio());
        return parameters;
    }
}
