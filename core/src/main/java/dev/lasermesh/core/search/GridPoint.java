package dev.lasermesh.core.search;

/**
 * One point (layer, type, ρ) of a LASER grid: {@code candidate} carries the rank the {@code fraction}
 * policy gives for {@code rho} on that matrix (k = ⌊ρ·min(out, in)⌋, at least 1; DESIGN §3.1).
 *
 * @param candidate the matrix and its rank at this ρ
 * @param rho       the fraction of the maximum rank kept, in (0, 1]
 */
public record GridPoint(Candidate candidate, double rho) {

    public GridPoint {
        if (candidate == null) {
            throw new SearchParameterException(LaserGridSpec.NAME + ": grid point without a candidate");
        }
        if (!(rho > 0.0 && rho <= 1.0)) {
            throw new SearchParameterException(LaserGridSpec.NAME + ": rho of " + candidate.matrix()
                    + " must be in (0, 1], got " + rho);
        }
    }
}
