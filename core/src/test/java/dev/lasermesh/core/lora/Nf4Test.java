package dev.lasermesh.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * NF4 round trip (DESIGN §7.3): hand-computable blocks, and a property test against a straightforward
 * implementation written here from the definition (nearest level by exhaustive search over the table
 * as printed in DESIGN §7.3, ties to the higher level).
 */
class Nf4Test {

    /** DESIGN §7.3's table, as decimal doubles. */
    private static final double[] TABLE = {-1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
            -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0, 0.07958029955625534,
            0.16093020141124725, 0.24611230194568634, 0.33791524171829224, 0.44070982933044434,
            0.5626170039176941, 0.7229568362236023, 1};

    private static float[] block(float... head) {
        float[] b = new float[Nf4.BLOCK_SIZE];
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    @Test
    void extremesAndLevelsAreExactAndEverythingElseGoesToTheNearestLevel() {
        float[] out = Nf4.roundTrip(block(2f, -2f, 0.1591606f, 1f, 0.5f, -0.3f, 0f));
        assertEquals(2f, out[0]);
        assertEquals(-2f, out[1]);
        assertEquals(0.0795803f * 2f, out[2]);
        assertEquals(0.44070983f * 2f, out[3]);
        assertEquals(0.24611230194568634f * 2f, out[4]);
        assertEquals(-0.18477343022823334f * 2f, out[5]);
        assertEquals(0f, out[6]);
        assertEquals(0f, out[63]);
    }

    @Test
    void aValueExactlyHalfwayBetweenTwoLevelsGoesToTheHigherOne() {
        float up = 0.07958029955625534f / 2;
        float down = -0.09105003625154495f / 2;
        float[] out = Nf4.roundTrip(block(1f, up, down, -up));
        assertEquals(0.07958029955625534f, out[1]);
        assertEquals(0f, out[2]);
        assertEquals(0f, out[3]);
        assertEquals(8, Nf4.nearestLevel(up));
        assertEquals(7, Nf4.nearestLevel(down));
    }

    @Test
    void blocksAreSixtyFourConsecutiveValuesOfTheFlattenedTensorAndTheLastMayBeShort() {
        float[] values = new float[100];
        values[0] = 4f;
        values[63] = 1f;
        values[64] = 0.5f;
        values[99] = 0.25f;
        float[] out = Nf4.roundTrip(values);
        assertEquals(0.24611230194568634f * 4f, out[63]);
        assertEquals(0.5f, out[64]);
        assertEquals(0.44070982933044434f * 0.5f, out[99]);
    }

    @Test
    void aBlockOfZerosStaysZero() {
        assertArrayEquals(new float[Nf4.BLOCK_SIZE], Nf4.roundTrip(new float[Nf4.BLOCK_SIZE]));
    }

    @Test
    void roundTripEqualsTheExhaustiveSearchOnRandomTensors() {
        Random random = new Random(20240607);
        for (int trial = 0; trial < 200; trial++) {
            int length = 1 + random.nextInt(700);
            float scale = (float) Math.pow(10, random.nextInt(7) - 4);
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = switch (trial % 3) {
                    case 0 -> (float) random.nextGaussian() * scale;
                    case 1 -> (random.nextFloat() * 2 - 1) * scale;
                    default -> (float) (TABLE[random.nextInt(16)] + TABLE[random.nextInt(16)]) / 2 * scale;
                };
            }
            assertArrayEquals(exhaustive(values), Nf4.roundTrip(values), "trial " + trial);
        }
    }

    @Test
    void nf4BaseQuantizationAppliesTheRoundTripToAMatrixAndNoneLeavesItAlone() {
        DenseMatrix w = new DenseMatrix(2, 64, new double[128]);
        w.set(0, 0, 3);
        w.set(1, 5, -0.75);
        w.set(1, 6, 0.5);
        DenseMatrix q = BaseQuantization.NF4.apply(w);
        assertEquals(3, q.get(0, 0));
        assertEquals(-0.75, q.get(1, 5));
        assertEquals((double) (0.7229568362236023f * 0.75f), q.get(1, 6));
        assertEquals(w, BaseQuantization.NONE.apply(w));
    }

    /** The definition, directly: per block of 64 the float32 absmax, then for every value the level of least distance. */
    private static float[] exhaustive(float[] values) {
        float[] out = new float[values.length];
        for (int from = 0; from < values.length; from += 64) {
            int to = Math.min(values.length, from + 64);
            float absmax = 0;
            for (int i = from; i < to; i++) {
                absmax = Math.max(absmax, Math.abs(values[i]));
            }
            for (int i = from; i < to && absmax > 0; i++) {
                double x = values[i] / absmax;
                int best = 0;
                for (int l = 1; l < TABLE.length; l++) {
                    if (Math.abs(x - (float) TABLE[l]) <= Math.abs(x - (float) TABLE[best])) {
                        best = l;
                    }
                }
                out[i] = (float) TABLE[best] * absmax;
            }
        }
        return out;
    }

    @Test
    void theTableIsAscendingFromMinusOneToOne() {
        double[] levels = new double[16];
        Arrays.setAll(levels, Nf4::level);
        double[] expected = new double[16];
        Arrays.setAll(expected, i -> (float) TABLE[i]);
        assertArrayEquals(expected, levels);
    }
}
