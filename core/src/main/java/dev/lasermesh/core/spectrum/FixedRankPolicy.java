package dev.lasermesh.core.spectrum;

import dev.lasermesh.core.InvalidInputException;
import java.util.Map;

/**
 * A rank given by the user. A rank above min(m, n) is clamped to min(m, n) rather than rejected, so
 * that one fixed rank can be applied to every matrix of a model whatever their shapes; the decision
 * notes the clamping and records the requested rank.
 *
 * @param rank the requested rank, ≥ 1
 */
public record FixedRankPolicy(int rank) implements RankPolicy {

    public static final String NAME = "fixed";

    public FixedRankPolicy {
        if (rank < 1) {
            throw new InvalidInputException("rank (--rank) must be >= 1, got " + rank);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RankDecision decide(SingularSpectrum spectrum) {
        int k = Math.min(rank, spectrum.maxRank());
        String note = k == rank ? "fixed rank"
                : "fixed rank " + rank + " clamped to min(m,n) = " + spectrum.maxRank();
        return new RankDecision(NAME, spectrum.rows(), spectrum.cols(), spectrum.maxRank(),
                Map.of("rank", (double) rank), null, k, note);
    }
}
