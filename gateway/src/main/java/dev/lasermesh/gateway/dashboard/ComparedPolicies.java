package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.core.spectrum.EnergyPolicy;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.GavishDonohoPolicy;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.MpEdgePolicy;
import dev.lasermesh.core.spectrum.ParamsRatioPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import java.util.List;

/**
 * The seven rank policies of DESIGN §3.1 as the dashboard compares them on one matrix. The policies
 * with a parameter need a value: the job's own when the job uses that policy, otherwise an
 * illustrative one (ρ = 0.1 as in LASER's grid, 90% of the energy, rank 32, half the parameters).
 */
public final class ComparedPolicies {

    static final double DEFAULT_FRACTION = 0.1;
    static final double DEFAULT_ENERGY = 0.9;
    static final int DEFAULT_RANK = 32;
    static final double DEFAULT_PARAMS_RATIO = 0.5;

    private ComparedPolicies() {
    }

    /** All seven policies, in {@link RankPolicySpec#NAMES} order; {@code jobPolicy} may be null (laser-grid). */
    public static List<RankPolicySpec> forJob(RankPolicySpec jobPolicy) {
        return RankPolicySpec.NAMES.stream().map(name -> jobPolicy != null && name.equals(jobPolicy.policy())
                ? jobPolicy : illustrative(name)).toList();
    }

    private static RankPolicySpec illustrative(String name) {
        return switch (name) {
            case FractionPolicy.NAME -> new RankPolicySpec(name, DEFAULT_FRACTION, null, null, null);
            case EnergyPolicy.NAME -> new RankPolicySpec(name, null, DEFAULT_ENERGY, null, null);
            case FixedRankPolicy.NAME -> new RankPolicySpec(name, null, null, DEFAULT_RANK, null);
            case ParamsRatioPolicy.NAME -> new RankPolicySpec(name, null, null, null, DEFAULT_PARAMS_RATIO);
            case LaserRmtPolicy.NAME, MpEdgePolicy.NAME, GavishDonohoPolicy.NAME -> RankPolicySpec.named(name);
            default -> throw new IllegalStateException("policy " + name + " is not known to the dashboard");
        };
    }
}
