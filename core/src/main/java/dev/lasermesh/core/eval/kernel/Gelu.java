package dev.lasermesh.core.eval.kernel;

/**
 * The exact GELU of BERT, {@code gelu(x) = x · Φ(x) = ½ · x · (1 + erf(x / √2))} (Hendrycks &amp; Gimpel
 * 2016, "Gaussian Error Linear Units", §2; transformers' {@code GELUActivation}, PyTorch's
 * {@code gelu(approximate='none')}) — not the tanh approximation.
 *
 * <p>Java has no {@code erf}, so it is tabulated once: {@code erf} and its derivative
 * {@code 2/√π · e^{−t²}} at steps of 1/{@value #STEPS_PER_UNIT} on [0, {@value #RANGE}], from the series
 * {@code erf(t) = 2/√π · e^{−t²} · Σ_n 2ⁿ t^{2n+1} / (1·3·…·(2n+1))} (Abramowitz &amp; Stegun 7.1.6; all
 * terms positive, so no cancellation), and read between grid points by cubic Hermite interpolation.
 * The interpolation error is below h⁴/384 · max|erf⁗| ≈ 1e-11, far under float32's resolution; beyond
 * {@value #RANGE} erf is ±1 to within 2e-17.
 */
public final class Gelu {

    private static final int STEPS_PER_UNIT = 256;
    private static final int RANGE = 6;
    private static final double STEP = 1.0 / STEPS_PER_UNIT;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double[] ERF = new double[RANGE * STEPS_PER_UNIT + 2];
    private static final double[] SLOPE = new double[ERF.length];

    static {
        for (int i = 0; i < ERF.length; i++) {
            double t = i * STEP;
            ERF[i] = series(t);
            SLOPE[i] = TWO_OVER_SQRT_PI * Math.exp(-t * t);
        }
    }

    private Gelu() {
    }

    private static double series(double t) {
        double term = t;
        double sum = t;
        for (int n = 1; term > 1e-18 * sum; n++) {
            term *= 2 * t * t / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-t * t) * sum;
    }

    /** {@code erf(t)} to about 1e-11 absolute. */
    public static double erf(double t) {
        double a = Math.abs(t);
        if (!(a < RANGE)) {
            return Double.isNaN(t) ? t : Math.copySign(1.0, t);
        }
        double position = a * STEPS_PER_UNIT;
        int i = (int) position;
        double u = position - i;
        double u2 = u * u;
        double u3 = u2 * u;
        double h00 = 2 * u3 - 3 * u2 + 1;
        double h10 = u3 - 2 * u2 + u;
        double h01 = -2 * u3 + 3 * u2;
        double h11 = u3 - u2;
        double value = h00 * ERF[i] + h10 * STEP * SLOPE[i] + h01 * ERF[i + 1] + h11 * STEP * SLOPE[i + 1];
        return Math.copySign(value, t);
    }

    /** GELU in place on {@code values[0 .. n)}, each computed in float64 and rounded to float32 once. */
    public static void applyInPlace(float[] values, int n) {
        for (int i = 0; i < n; i++) {
            double x = values[i];
            values[i] = (float) (0.5 * x * (1.0 + erf(x * INV_SQRT2)));
        }
    }
}
