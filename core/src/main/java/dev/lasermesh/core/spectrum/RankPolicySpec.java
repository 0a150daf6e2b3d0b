package dev.lasermesh.core.spectrum;

import dev.lasermesh.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rank policy as a user names it: on the CLI ({@code --policy fraction --fraction 0.1}) or in a job
 * spec ({@code {"policy":"fraction","fraction":0.1}}). Only the parameter the named policy uses may
 * be set; the others stay {@code null}. {@link #toPolicy()} validates and builds the policy.
 *
 * @param policy      {@code laserrmt | mp-edge | gavish-donoho | fraction | energy | fixed | params}
 * @param fraction    ρ in (0, 1] for {@code fraction} ({@code --fraction})
 * @param energy      e in (0, 1] for {@code energy} ({@code --energy})
 * @param rank        k ≥ 1 for {@code fixed} ({@code --rank}); clamped to min(m, n) per matrix
 * @param paramsRatio r in (0, 1] for {@code params} ({@code --params-ratio})
 */
public record RankPolicySpec(String policy, Double fraction, Double energy, Integer rank, Double paramsRatio) {

    /** The policy names, in the order the CLI help lists them. */
    public static final List<String> NAMES = List.of(LaserRmtPolicy.NAME, MpEdgePolicy.NAME,
            GavishDonohoPolicy.NAME, FractionPolicy.NAME, EnergyPolicy.NAME, FixedRankPolicy.NAME,
            ParamsRatioPolicy.NAME);

    /** A parameterless policy ({@code laserrmt}, {@code mp-edge}, {@code gavish-donoho}). */
    public static RankPolicySpec named(String policy) {
        return new RankPolicySpec(policy, null, null, null, null);
    }

    /**
     * The policy this spec names.
     *
     * @throws IllegalArgumentException for an unknown or missing name, a missing or out-of-range
     *                                  parameter, or a parameter the policy does not use; the message
     *                                  names the parameter and its valid range
     */
    public RankPolicy toPolicy() {
        if (policy == null) {
            throw new InvalidInputException("policy (--policy) is required, one of " + String.join(", ", NAMES));
        }
        return switch (policy) {
            case LaserRmtPolicy.NAME -> parameterless(new LaserRmtPolicy());
            case MpEdgePolicy.NAME -> parameterless(new MpEdgePolicy());
            case GavishDonohoPolicy.NAME -> parameterless(new GavishDonohoPolicy());
            case FractionPolicy.NAME -> new FractionPolicy(required(fraction, "fraction", "--fraction R in (0, 1]"));
            case EnergyPolicy.NAME -> new EnergyPolicy(required(energy, "energy", "--energy E in (0, 1]"));
            case FixedRankPolicy.NAME -> new FixedRankPolicy(required(rank, "rank", "--rank K >= 1"));
            case ParamsRatioPolicy.NAME -> new ParamsRatioPolicy(
                    required(paramsRatio, "paramsRatio", "--params-ratio R in (0, 1]"));
            default -> throw new InvalidInputException(String.format(Locale.ROOT,
                    "unknown rank policy \"%s\", valid: %s", policy, String.join(", ", NAMES)));
        };
    }

    private RankPolicy parameterless(RankPolicy built) {
        rejectParametersOtherThan(null);
        return built;
    }

    private <T> T required(T value, String parameter, String usage) {
        if (value == null) {
            throw new InvalidInputException("policy " + policy + " needs " + parameter + " (" + usage + ")");
        }
        rejectParametersOtherThan(parameter);
        return value;
    }

    /** A set parameter that the policy ignores is most likely a mistake in the command or spec. */
    private void rejectParametersOtherThan(String used) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("fraction", fraction);
        parameters.put("energy", energy);
        parameters.put("rank", rank);
        parameters.put("paramsRatio", paramsRatio);
        List<String> unused = new ArrayList<>();
        parameters.forEach((name, value) -> {
            if (value != null && !name.equals(used)) {
                unused.add(name);
            }
        });
        if (!unused.isEmpty()) {
            throw new InvalidInputException("policy " + policy + " does not use " + String.join(", ", unused));
        }
    }
}
