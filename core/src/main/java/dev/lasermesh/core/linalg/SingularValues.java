package dev.lasermesh.core.linalg;

/**
 * Singular values of a matrix together with the method that produced them, so a report can say how
 * a spectrum was computed.
 *
 * @param values all min(rows, cols) singular values, descending, non-negative
 * @param method the route the backend chose for this matrix
 */
public record SingularValues(double[] values, SvdMethod method) {

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
}
