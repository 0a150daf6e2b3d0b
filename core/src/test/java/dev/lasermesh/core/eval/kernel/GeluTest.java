package dev.lasermesh.core.eval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GELU over arrays (vector lanes and the scalar tail) is the scalar float64 formula, bit for bit. */
class GeluTest {

    private static float scalar(float value) {
        double x = value;
        return (float) (0.5 * x * (1.0 + Gelu.erf(x * (1.0 / Math.sqrt(2.0)))));
    }

    @Test
    void everyElementEqualsTheScalarFormulaIncludingTailsAndEdges() {
        SplittableRandom random = new SplittableRandom(3);
        float[] edges = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, 8.485f, -8.485f, 8.4853f, 8.49f, -8.49f, 20f, -20f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f};
        int n = 10_003;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i < edges.length ? edges[i] : (float) (random.nextGaussian() * (i % 3 == 0 ? 4 : 1));
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = scalar(values[i]);
        }
        Gelu.applyInPlace(values, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(values[i]), "element " + i);
        }
    }

    @Test
    void geluMatchesKnownValuesOfXPhiX() {
        float[] v = {1f, -1f, 2f, 0.5f};
        Gelu.applyInPlace(v, v.length);
        double[] reference = {0.8413447460685429, -0.15865525393145707, 1.9544997361036416, 0.34573123063700656};
        for (int i = 0; i < v.length; i++) {
            assertTrue(Math.abs(v[i] - reference[i]) < 1e-7, i + ": " + v[i]);
        }
    }
}
