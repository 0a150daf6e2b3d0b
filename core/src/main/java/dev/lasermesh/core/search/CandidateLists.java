package dev.lasermesh.core.search;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks shared by the specifications that take a list of candidates. */
final class CandidateLists {

    private CandidateLists() {
    }

    /**
     * An immutable copy of {@code candidates}, which must be non-empty and name each matrix once: a
     * matrix replaced twice in one model state has no meaning.
     */
    static List<Candidate> distinctMatrices(String strategy, List<Candidate> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new SearchParameterException(strategy + ": candidates must not be empty");
        }
        Set<String> seen = new HashSet<>();
        for (Candidate candidate : candidates) {
            if (candidate == null) {
                throw new SearchParameterException(strategy + ": candidates must not contain null");
            }
            if (!seen.add(candidate.matrix())) {
                throw new SearchParameterException(strategy + ": candidate matrix " + candidate.matrix()
                        + " appears more than once");
            }
        }
        return List.copyOf(candidates);
    }
}
