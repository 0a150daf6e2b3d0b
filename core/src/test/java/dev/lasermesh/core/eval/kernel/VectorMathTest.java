package dev.lasermesh.core.eval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector kernels against plain float64 formulas. */
class VectorMathTest {

    @Test
    void floatExpIsWithinTwoUlpOfMathExpOverItsRange() {
        double worst = 0;
        float[] x = new float[FloatVector.SPECIES_PREFERRED.length()];
        for (float start = -86f; start < 88f; start += 0.0137f * x.length) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(88f, start + 0.0137f * i);
            }
            float[] y = VectorMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).toArray();
            for (int i = 0; i < x.length; i++) {
                double exact = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp((float) exact));
            }
        }
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
    }

    @Test
    void doubleExpIsWithinTwoUlpOfMathExpForNonPositiveArguments() {
        double worst = 0;
        double[] x = new double[DoubleVector.SPECIES_PREFERRED.length()];
        for (double start = -700; start <= 0; start += 0.00731 * x.length) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(0, start + 0.00731 * i);
            }
            double[] y = VectorMath.expNonPositive(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, x, 0)).toArray();
            for (int i = 0; i < x.length; i++) {
                double exact = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - exact) / Math.ulp(exact));
            }
        }
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
    }

    @Test
    void logSumExpMatchesTheFloat64Formula() {
        Random r = new Random(7);
        float[] row = new float[1037];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (r.nextGaussian() * 6);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 3; i < row.length; i++) {
            max = Math.max(max, row[i]);
        }
        double s = 0;
        for (int i = 3; i < row.length; i++) {
            s += Math.exp(row[i] - max);
        }
        assertEquals(max + Math.log(s), VectorMath.logSumExp(row, 3, row.length - 3), 1e-13);
    }

    @Test
    void rmsNormSoftmaxAndSiluMatchTheirDefinitions() {
        Random r = new Random(11);
        int n = 77;
        float[] x = new float[n + 5];
        float[] w = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            w[i] = 0.5f + r.nextFloat();
        }
        float[] out = new float[n];
        VectorMath.rmsNorm(x, 5, w, 1e-5f, out, 0);
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) x[5 + i] * x[5 + i];
        }
        double inv = 1 / Math.sqrt(ss / n + 1e-5);
        for (int i = 0; i < n; i++) {
            assertEquals(w[i] * x[5 + i] * inv, out[i], 1e-6);
        }

        float[] row = x.clone();
        VectorMath.softmaxInPlace(row, 2, n);
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += Math.exp(x[2 + i]);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(Math.exp(x[2 + i]) / z, row[2 + i], 1e-7);
        }
        assertEquals(x[0], row[0]);

        float[] gate = x.clone();
        float[] up = w.clone();
        VectorMath.siluMultiply(gate, up, n);
        for (int i = 0; i < n; i++) {
            assertEquals(x[i] / (1 + Math.exp(-x[i])) * w[i], gate[i], 1e-6);
        }
    }

    /**
     * The encoder's residual and LayerNorm over rows (four side by side, then the rest one by one; 387
     * wide for a scalar tail) equal the two-pass float64 formula written out element by element, bit for
     * bit.
     */
    @Test
    void biasResidualAndLayerNormRowsEqualTheScalarFormulaBitForBit() {
        Random r = new Random(5);
        int n = 387;
        int rows = 7;
        float[] x = new float[rows * n];
        float[] residual = new float[rows * n];
        float[] projectionBias = new float[n];
        float[] w = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (i % 5 == 0 ? 30 : 1));
            residual[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            projectionBias[i] = (float) r.nextGaussian();
            w[i] = 0.5f + r.nextFloat();
            b[i] = (float) r.nextGaussian();
        }
        double eps = 1e-12;
        float[] expected = new float[rows * n];
        for (int row = 0; row < rows; row++) {
            float[] v = new float[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                v[i] = (x[row * n + i] + projectionBias[i]) + residual[row * n + i];
                sum += v[i];
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                squares += (v[i] - mean) * (v[i] - mean);
            }
            double inv = 1.0 / Math.sqrt(squares / n + eps);
            for (int i = 0; i < n; i++) {
                expected[row * n + i] = (float) ((v[i] - mean) * inv * w[i] + b[i]);
            }
        }
        VectorMath.addBiasAndResidual(x, projectionBias, residual, rows);
        float[] out = new float[rows * n];
        VectorMath.layerNormRows(x, rows, w, b, eps, out);
        for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]), "element " + i);
        }
    }

    @Test
    void findsTheFirstNonFiniteValue() {
        float[] v = new float[100];
        assertEquals(-1, VectorMath.indexOfNonFinite(MemorySegment.ofArray(new byte[400]), 100));
        v[97] = Float.NaN;
        v[98] = Float.POSITIVE_INFINITY;
        MemorySegment bytes = MemorySegment.ofArray(new byte[400]);
        MemorySegment.copy(MemorySegment.ofArray(v), 0, bytes, 0, 400);
        assertEquals(97, VectorMath.indexOfNonFinite(bytes, 100));
    }
}
