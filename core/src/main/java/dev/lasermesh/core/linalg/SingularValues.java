package dev.lasermesh.core.linalg;

/**
 * Singular values of a matrix together with the method that produced them and a bound on the
 * relative error of each, so a report can say how a spectrum was computed and how far to trust it.
 *
 * @param values              all min(rows, cols) singular values, descending, non-negative
 * @param method              the route the backend chose for this matrix
 * @param relativeErrorBounds for each value, a bound on |σ̂_i − σ_i|/σ_i ({@link SingularValueBounds});
 *                            +∞ where a value is not resolved (a zero σ of a nonzero matrix)
 */
public record SingularValues(double[] values, SvdMethod method, double[] relativeErrorBounds) {

    public SingularValues {
        if (relativeErrorBounds.length != values.length) {
            throw new IllegalArgumentException(values.length + " singular values but " + relativeErrorBounds.length
                    + " error bounds");
        }
    }

    /**
     * σ_max / σ_min; {@code +Infinity} when the smallest singular value is zero, NaN when there are
     * no singular values or all of them are zero.
     */
    public double conditionNumber() {
        if (values.length == 0 || values[0] == 0.0) {
            return Double.NaN;
        }
        return values[0] / values[values.length - 1];
    }

    /** The largest relative error bound over the values ≥ {@code fraction}·σ_max (0 when there are none). */
    public double worstBoundAbove(double fraction) {
        double worst = 0.0;
        for (int i = 0; i < values.length && values[i] >= fraction * values[0]; i++) {
            worst = Math.max(worst, relativeErrorBounds[i]);
        }
        return worst;
    }
}
