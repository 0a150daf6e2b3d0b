package dev.lasermesh.core.search;

import java.util.Comparator;
import java.util.List;

/**
 * laserRMT's SNR-ranked greedy search ({@code rmt_laser_snr.py}, {@code select_layers_for_modification}
 * and {@code test_and_modify_layers}; anchors-algorithms.md §1.3): the candidates are sorted by SNR
 * ascending (ties keep the given order, like Python's stable sort), the lowest {@code count} are
 * visited in that order, and each is kept iff its perplexity is {@code <=} the current one (ties are
 * accepted, unlike {@code rmt_laser.py}); there is no cap on acceptances.
 *
 * @param candidates the matrices with rank and SNR (every SNR given; {@code Infinity} allowed)
 * @param count      how many of the lowest-SNR candidates to visit; default 15
 */
public record SnrGreedySpec(List<Candidate> candidates, int count) implements SearchSpec {

    public static final String NAME = "snr-greedy";
    public static final int DEFAULT_COUNT = 15;

    public SnrGreedySpec {
        candidates = CandidateLists.distinctMatrices(NAME, candidates);
        if (count < 1) {
            throw new SearchParameterException(NAME + ": count must be >= 1, got " + count);
        }
        for (Candidate candidate : candidates) {
            if (Double.isNaN(candidate.snr())) {
                throw new SearchParameterException(NAME + ": candidate " + candidate.matrix()
                        + " has no SNR (NaN); every candidate needs one to be ranked");
            }
        }
    }

    /** laserRMT's default: the 15 lowest-SNR candidates. */
    public static SnrGreedySpec withDefaults(List<Candidate> candidates) {
        return new SnrGreedySpec(candidates, DEFAULT_COUNT);
    }

    @Override
    public String strategyName() {
        return NAME;
    }

    /** The {@code count} lowest-SNR candidates, ascending. */
    List<Candidate> scanOrder() {
        return candidates.stream().sorted(Comparator.comparingDouble(Candidate::snr)).limit(count).toList();
    }
}
