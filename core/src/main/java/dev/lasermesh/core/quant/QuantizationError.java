package dev.lasermesh.core.quant;

/**
 * How far a stored matrix is from the original, measured in float64 on the elements:
 * ‖W − Ŵ‖_F, ‖W − Ŵ‖_F / ‖W‖_F and max |W − Ŵ|.
 *
 * @param frobeniusNorm  ‖W‖_F
 * @param frobeniusError ‖W − Ŵ‖_F
 * @param relativeError  ‖W − Ŵ‖_F / ‖W‖_F (0 when W = 0)
 * @param maxAbsError    max |W − Ŵ|
 */
public record QuantizationError(double frobeniusNorm, double frobeniusError, double relativeError,
                                double maxAbsError) {

    /** The error of {@code approx} against {@code original} (same length). */
    public static QuantizationError of(float[] original, float[] approx) {
        if (original.length != approx.length) {
            throw new IllegalArgumentException(original.length + " values against " + approx.length);
        }
        double norm = 0;
        double error = 0;
        double max = 0;
        for (int i = 0; i < original.length; i++) {
            double w = original[i];
            double e = w - approx[i];
            norm += w * w;
            error += e * e;
            max = Math.max(max, Math.abs(e));
        }
        double n = Math.sqrt(norm);
        double f = Math.sqrt(error);
        return new QuantizationError(n, f, n == 0 ? 0 : f / n, max);
    }
}
