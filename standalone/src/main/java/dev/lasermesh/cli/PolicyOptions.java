package dev.lasermesh.cli;

import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import picocli.CommandLine.Option;

/** The rank policy options shared by {@code analyze}, {@code reduce} and {@code run} (DESIGN §3.1). */
public final class PolicyOptions {

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "laserrmt",
            description = "Rank policy, one per run: laserrmt, mp-edge, gavish-donoho, fraction, energy, fixed, "
                    + "params (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--fraction", paramLabel = "R",
            description = "fraction policy: keep floor(R*min(m,n)), LASER's rho (required by that policy; no default).")
    Double fraction;

    @Option(names = "--energy", paramLabel = "E",
            description = "energy policy: smallest k keeping E of sum(S^2) (required by that policy; no default).")
    Double energy;

    @Option(names = "--rank", paramLabel = "K",
            description = "fixed policy: keep K singular values (required by that policy; no default).")
    Integer rank;

    @Option(names = "--params-ratio", paramLabel = "R",
            description = "params policy: k = floor(R*m*n/(m+n)), the rank whose factored form has R of the "
                    + "parameters (required by that policy; no default).")
    Double paramsRatio;

    /** The spec as a job would carry it. */
    public RankPolicySpec spec() {
        return new RankPolicySpec(policy, fraction, energy, rank, paramsRatio);
    }

    /** The validated policy. */
    public RankPolicy toPolicy() {
        return spec().toPolicy();
    }
}
