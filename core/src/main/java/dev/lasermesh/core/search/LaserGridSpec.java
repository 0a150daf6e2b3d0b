package dev.lasermesh.core.search;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LASER's grid search (Sharma, Ash, Misra, ICLR 2024; anchors-algorithms.md §4.2): every grid point
 * (layer, type, ρ) is applied alone to the base model and evaluated on the validation split (the first
 * {@code validationFraction} of the windows); the point with the lowest validation perplexity is
 * chosen and reported on the remaining windows.
 *
 * <p>Selection rule: a point is chosen only if its validation perplexity is strictly lower than the
 * base model's (the base model takes part in the grid, as LASER's {@code dont} baseline does);
 * among points with the same lowest value the first in {@code points} order wins. LASER breaks
 * accuracy ties by log-loss; with perplexity as the only measure, order is the tie-breaker.
 *
 * @param points             the grid, in the order used for the trace and for tie-breaking
 * @param validationFraction the fraction of windows used to choose, in (0, 1); default 0.2
 */
public record LaserGridSpec(List<GridPoint> points, double validationFraction) implements SearchSpec {

    public static final String NAME = "laser-grid";
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;

    public LaserGridSpec {
        if (points == null || points.isEmpty()) {
            throw new SearchParameterException(NAME + ": points must not be empty");
        }
        if (!(validationFraction > 0.0 && validationFraction < 1.0)) {
            throw new SearchParameterException(NAME + ": validationFraction must be in (0, 1), got "
                    + validationFraction);
        }
        Set<String> seen = new HashSet<>();
        for (GridPoint point : points) {
            if (point == null) {
                throw new SearchParameterException(NAME + ": points must not contain null");
            }
            if (!seen.add(point.candidate().matrix() + "@" + point.rho())) {
                throw new SearchParameterException(NAME + ": matrix " + point.candidate().matrix() + " with rho "
                        + point.rho() + " appears more than once");
            }
        }
        points = List.copyOf(points);
    }

    /** LASER's protocol: choose on the first 20% of the windows. */
    public static LaserGridSpec withDefaults(List<GridPoint> points) {
        return new LaserGridSpec(points, DEFAULT_VALIDATION_FRACTION);
    }

    @Override
    public String strategyName() {
        return NAME;
    }
}
