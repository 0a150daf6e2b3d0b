package dev.lasermesh.core.eval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GELU of biased rows (vector lanes and the scalar tail of each row) is the scalar float64 formula of the
 * float32 sum of value and bias, bit for bit.
 */
class GeluTest {

    private static float scalar(float value) {
        double x = value;
        return (float) (0.5 * x * (1.0 + Gelu.erf(x * (1.0 / Math.sqrt(2.0)))));
    }

    @Test
    void everyElementEqualsTheScalarFormulaIncludingTailsAndEdges() {
        float[] edges = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 8.485f, -8.485f, 8.4853f, 8.49f, -8.49f, 20f, -20f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f};
        float[] negativeZeros = new float[edges.length];
        Arrays.fill(negativeZeros, -0f);
        assertMatchesScalar(edges, 1, negativeZeros);
        SplittableRandom random = new SplittableRandom(3);
        int width = 387;
        int rows = 26;
        float[] values = new float[rows * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * (i % 3 == 0 ? 4 : 1));
        }
        float[] bias = new float[width];
        for (int i = 0; i < width; i++) {
            bias[i] = (float) random.nextGaussian();
        }
        assertMatchesScalar(values, rows, bias);
    }

    /** Rows of {@code bias.length} (vector lanes and a scalar tail each) against the scalar formula. */
    private static void assertMatchesScalar(float[] values, int rows, float[] bias) {
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = scalar(values[i] + bias[i % bias.length]);
        }
        Gelu.addBiasAndApply(values, rows, bias);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(values[i]), "element " + i);
        }
    }

    @Test
    void geluMatchesKnownValuesOfXPhiX() {
        float[] v = {1f, -1f, 2f, 0.5f};
        float[] negativeZeros = new float[v.length];
        Arrays.fill(negativeZeros, -0f);
        Gelu.addBiasAndApply(v, 1, negativeZeros);
        double[] reference = {0.8413447460685429, -0.15865525393145707, 1.9544997361036416, 0.34573123063700656};
        for (int i = 0; i < v.length; i++) {
            assertTrue(Math.abs(v[i] - reference[i]) < 1e-7, i + ": " + v[i]);
        }
    }
}
