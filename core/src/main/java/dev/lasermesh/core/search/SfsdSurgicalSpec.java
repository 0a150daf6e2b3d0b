package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * SFSD-LLM's surgical rank search (Yadav et al., ACL 2024, arXiv 2405.13039; the rule as DESIGN §7.4
 * fixes it): the matrices are visited from the last to the first; each keeps the smallest
 * rank of its grid whose perplexity on the search split (the first {@code validationFraction} of the
 * windows), with every matrix decided so far applied, is at most {@code base·tolerance^(N − i)} —
 * base = the base model's search-split perplexity, N = the number of matrices, i = the matrix's
 * 0-based position counted from the first — and stays dense when no rank of its grid does. The last
 * matrix therefore gets the tightest bound (tolerance¹) and the first the loosest (tolerance^N): the
 * allowance grows by one factor of {@code tolerance} per matrix reduced, SFSD's 1.005 rule. The final
 * model is reported on the other windows.
 *
 * @param candidates         every grid point: the matrices in model order (first to last), each
 *                           matrix's points contiguous with strictly ascending ranks (see
 *                           {@link #gridRanks})
 * @param tolerance          the per-matrix perplexity allowance, at least 1; SFSD uses 1.005
 * @param validationFraction the fraction of windows searched on, in (0, 1); SFSD's 20% by default
 */
public record SfsdSurgicalSpec(List<Candidate> candidates, double tolerance, double validationFraction)
        implements SearchSpec {

    public static final String NAME = "sfsd-surgical";
    public static final double DEFAULT_TOLERANCE = 1.005;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;

    public SfsdSurgicalSpec {
        if (candidates == null || candidates.isEmpty()) {
            throw new SearchParameterException(NAME + ": candidates must not be empty");
        }
        if (!(tolerance >= 1.0) || Double.isInfinite(tolerance)) {
            throw new SearchParameterException(NAME + ": tolerance must be a finite number >= 1, got " + tolerance);
        }
        if (!(validationFraction > 0.0 && validationFraction < 1.0)) {
            throw new SearchParameterException(NAME + ": validationFraction must be in (0, 1), got "
                    + validationFraction);
        }
        Set<String> finished = new HashSet<>();
        Candidate previous = null;
        for (Candidate candidate : candidates) {
            if (candidate == null) {
                throw new SearchParameterException(NAME + ": candidates must not contain null");
            }
            boolean sameMatrix = previous != null && previous.matrix().equals(candidate.matrix());
            if (sameMatrix && candidate.rank() <= previous.rank()) {
                throw new SearchParameterException(NAME + ": the ranks of " + candidate.matrix()
                        + " must be strictly ascending, got " + previous.rank() + " then " + candidate.rank());
            }
            if (!sameMatrix && !finished.add(candidate.matrix())) {
                throw new SearchParameterException(NAME + ": the grid points of " + candidate.matrix()
                        + " must be contiguous");
            }
            previous = candidate;
        }
        candidates = List.copyOf(candidates);
    }

    /** SFSD's parameters: tolerance 1.005, search on the first 20% of the windows. */
    public static SfsdSurgicalSpec withDefaults(List<Candidate> candidates) {
        return new SfsdSurgicalSpec(candidates, DEFAULT_TOLERANCE, DEFAULT_VALIDATION_FRACTION);
    }

    /**
     * The rank grid of a rows × cols matrix, ascending: {1} ∪ {⌊f·r_max⌋ : f = 0.1, 0.2, …, 1.0} without
     * zeros and repeats, r_max = ⌊rows·cols/(rows + cols)⌋ the break-even rank (the largest rank whose
     * factored form is not larger than the dense matrix). ⌊f·r_max⌋ is computed as ⌊j·r_max/10⌋ in
     * integers, so no f is rounded in binary.
     *
     * @throws SearchParameterException when the shape is not positive
     */
    public static List<Integer> gridRanks(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new SearchParameterException(NAME + ": matrix shape must be positive, got " + rows + "x" + cols);
        }
        long breakEven = (long) rows * cols / ((long) rows + cols);
        TreeSet<Integer> ranks = new TreeSet<>();
        ranks.add(1);
        for (int j = 1; j <= 10; j++) {
            int rank = (int) (j * breakEven / 10);
            if (rank >= 1) {
                ranks.add(rank);
            }
        }
        return new ArrayList<>(ranks);
    }

    @Override
    public String strategyName() {
        return NAME;
    }
}
