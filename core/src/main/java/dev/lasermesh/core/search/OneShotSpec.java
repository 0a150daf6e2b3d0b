package dev.lasermesh.core.search;

import java.util.List;

/**
 * No search: every candidate is applied at once and the result is evaluated once, beside the base
 * model (DESIGN §3.3 {@code one-shot}).
 *
 * @param candidates the matrices to replace, each with the rank its policy decided
 */
public record OneShotSpec(List<Candidate> candidates) implements SearchSpec {

    public static final String NAME = "one-shot";

    public OneShotSpec {
        candidates = CandidateLists.distinctMatrices(NAME, candidates);
    }

    @Override
    public String strategyName() {
        return NAME;
    }
}
