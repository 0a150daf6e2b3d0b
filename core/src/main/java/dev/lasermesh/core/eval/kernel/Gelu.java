package dev.lasermesh.core.eval.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

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
 *
 * <p>{@link #addBiasAndApply} runs the same float64 operations in the same order lane by lane with the
 * Vector API (the table read by gathers), so it gives the scalar formula's result bit for bit; it is a
 * sixth of the encoder's forward pass when scalar (the FFN has 1536 activations per token).
 */
public final class Gelu {

    private static final int STEPS_PER_UNIT = 256;
    private static final int RANGE = 6;
    private static final double STEP = 1.0 / STEPS_PER_UNIT;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double[] ERF = new double[RANGE * STEPS_PER_UNIT + 2];
    private static final double[] SLOPE = new double[ERF.length];

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as {@link #D}, widened to doubles. */
    private static final VectorSpecies<Float> F_HALF = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** Ints with as many lanes as {@link #D}: the table indices. */
    private static final VectorSpecies<Integer> I_HALF = VectorSpecies.of(int.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));

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

    /**
     * {@code x = gelu(x + bias)} in place on {@code rowCount} rows of {@code bias.length}: the bias of the
     * FFN's first projection added in float32 (as a separate pass would) in the same pass as GELU, which
     * is computed in float64 and rounded to float32 once.
     *
     * <p>One method without calls, so the JIT keeps every vector in registers (a helper taking vectors
     * as arguments was not inlined, and its boxed vectors fell back to Java code: 12 ns a value instead of
     * 4). The sign is applied as {@code 1 + erf = 1 − |erf|} for negative arguments, the same float64
     * operation as adding the negated value; ±0 and NaN give the scalar formula's result too.
     */
    public static void addBiasAndApply(float[] values, int rowCount, float[] bias) {
        int n = bias.length;
        int lanes = D.length();
        int[] index = new int[lanes];
        for (int r = 0; r < rowCount; r++) {
            int base = r * n;
            int i = 0;
            for (; i <= n - lanes; i += lanes) {
                FloatVector biased = FloatVector.fromArray(F_HALF, values, base + i).add(FloatVector.fromArray(F_HALF, bias, i));
                DoubleVector x = (DoubleVector) biased.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector t = x.mul(INV_SQRT2);
                DoubleVector a = t.abs();
                VectorMask<Double> outside = a.lt(RANGE).not();
                DoubleVector position = a.blend(0.0, outside).mul(STEPS_PER_UNIT);
                IntVector cell = (IntVector) position.convertShape(VectorOperators.D2I, I_HALF, 0);
                cell.intoArray(index, 0);
                DoubleVector u = position.sub(cell.convertShape(VectorOperators.I2D, D, 0));
                DoubleVector u2 = u.mul(u);
                DoubleVector u3 = u2.mul(u);
                DoubleVector h00 = u3.mul(2.0).sub(u2.mul(3.0)).add(1.0);
                DoubleVector h10 = u3.sub(u2.mul(2.0)).add(u);
                DoubleVector h01 = u3.mul(-2.0).add(u2.mul(3.0));
                DoubleVector h11 = u3.sub(u2);
                DoubleVector magnitude = h00.mul(DoubleVector.fromArray(D, ERF, 0, index, 0))
                        .add(h10.mul(STEP).mul(DoubleVector.fromArray(D, SLOPE, 0, index, 0)))
                        .add(h01.mul(DoubleVector.fromArray(D, ERF, 1, index, 0)))
                        .add(h11.mul(STEP).mul(DoubleVector.fromArray(D, SLOPE, 1, index, 0)))
                        .blend(1.0, outside);
                DoubleVector signed = magnitude.blend(magnitude.neg(), t.lt(0.0));
                DoubleVector g = x.mul(0.5).mul(signed.add(1.0));
                ((FloatVector) g.convertShape(VectorOperators.D2F, F_HALF, 0)).intoArray(values, base + i);
            }
            for (; i < n; i++) {
                float biased = values[base + i] + bias[i];
                double x = biased;
                values[base + i] = (float) (0.5 * x * (1.0 + erf(x * INV_SQRT2)));
            }
        }
    }
}
