package dev.lasermesh.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lasermesh.core.InvalidInputException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The blocks where the rules of DESIGN §7.2 bite — zeros, −0.0, ties of |max| in both orders, exact
 * halves of the grid, tiny and huge values — with expected bytes worked out by hand from the rules,
 * and the vectorised codecs against a line-by-line scalar transcription of ggml's C
 * ({@link ScalarGgmlQuantizers}) on many random and crafted blocks.
 */
class BlockEdgeCaseTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void allZeroAndNegativeZeroBlocks() {
        for (float zero : new float[] {0f, -0f}) {
            float[] x = new float[32];
            java.util.Arrays.fill(x, zero);
            assertEquals("00".repeat(34), HEX.formatHex(QuantScheme.Q8_0.quantize(x, 1, 32).blocks()), "Q8_0 of " + zero);
            assertEquals("0080" + "88".repeat(16), HEX.formatHex(QuantScheme.Q4_0.quantize(x, 1, 32).blocks()),
                    "Q4_0 of " + zero + ": d = +0.0 / -8 = -0.0, every q = 8");
        }
    }

    @Test
    void q4ScaleTakesTheFirstValueOfLargestMagnitude() {
        float[] positiveFirst = new float[32];
        positiveFirst[3] = 1f;
        positiveFirst[7] = -1f;
        // max = +1 -> d = -0.125 (fp16 0xB000); id = -8: x=1 -> 0.5 -> 0; x=-1 -> 16.5 -> 15; zeros -> 8
        byte[] a = QuantScheme.Q4_0.quantize(positiveFirst, 1, 32).blocks();
        assertEquals("00b0", HEX.formatHex(a, 0, 2));
        assertEquals((byte) 0x80, a[2 + 3]);
        assertEquals((byte) 0x8f, a[2 + 7]);
        float[] negativeFirst = new float[32];
        negativeFirst[3] = -1f;
        negativeFirst[7] = 1f;
        // max = -1 -> d = +0.125 (0x3000); id = 8: x=-1 -> 0.5 -> 0; x=1 -> 16.5 -> 15
        byte[] b = QuantScheme.Q4_0.quantize(negativeFirst, 1, 32).blocks();
        assertEquals("0030", HEX.formatHex(b, 0, 2));
        assertEquals((byte) 0x80, b[2 + 3]);
        assertEquals((byte) 0x8f, b[2 + 7]);
    }

    @Test
    void q8RoundsHalvesAwayFromZero() {
        float[] x = new float[32];
        x[0] = 127f;
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.5f;
        x[4] = -0.5f;
        x[5] = 0.49999997f;
        // amax 127 -> d = 1, id = 1: roundf(2.5) = 3, roundf(-2.5) = -3, roundf(0.5) = 1, roundf(0.49999997) = 0
        byte[] q = QuantScheme.Q8_0.quantize(x, 1, 32).blocks();
        assertEquals("003c", HEX.formatHex(q, 0, 2));
        assertArrayEquals(new byte[] {127, 3, -3, 1, -1, 0}, java.util.Arrays.copyOfRange(q, 2, 8));
    }

    @Test
    void hugeValuesOverflowTheHalfScaleToInfinity() {
        float[] x = new float[32];
        java.util.Arrays.fill(x, -3e38f);
        assertEquals("007c", HEX.formatHex(QuantScheme.Q8_0.quantize(x, 1, 32).blocks(), 0, 2), "amax = 3e38, 3e38/127 -> +inf");
        assertEquals("007c", HEX.formatHex(QuantScheme.Q4_0.quantize(x, 1, 32).blocks(), 0, 2), "-3e38/-8 -> +inf");
    }

    @ParameterizedTest
    @EnumSource(QuantScheme.class)
    void vectorisedCodecsEqualTheScalarTranscriptionOfGgml(QuantScheme scheme) {
        SplittableRandom random = new SplittableRandom(20240601);
        int blocks = 4096;
        float[] x = new float[blocks * 32];
        for (int b = 0; b < blocks; b++) {
            float scale = new float[] {1f, 0.5f, 0.1f, 1f / 127, 3f / 7, 1e-30f, 1e3f}[b % 7];
            for (int j = 0; j < 32; j++) {
                x[b * 32 + j] = switch (b % 4) {
                    case 0 -> (float) random.nextGaussian() * scale;
                    case 1 -> (random.nextInt(509) - 254) / 2f * scale;
                    case 2 -> (float) (random.nextGaussian() / Math.max(1e-3, random.nextDouble())) * scale;
                    default -> random.nextInt(3) == 0 ? 0f : (random.nextBoolean() ? 1 : -1) * scale;
                };
            }
        }
        byte[] expected = scheme == QuantScheme.Q8_0 ? ScalarGgmlQuantizers.q8_0(x) : ScalarGgmlQuantizers.q4_0(x);
        QuantizedMatrix q = scheme.quantize(x, blocks, 32);
        assertArrayEquals(expected, q.blocks());
        float[] deq = q.dequantize();
        for (int b = 0; b < blocks; b++) {
            int at = b * scheme.blockBytes();
            float d = Float.float16ToFloat((short) ((expected[at] & 0xFF) | (expected[at + 1] & 0xFF) << 8));
            for (int j = 0; j < 32; j++) {
                int qj = scheme == QuantScheme.Q8_0 ? expected[at + 2 + j]
                        : ((expected[at + 2 + j % 16] & 0xFF) >> (j < 16 ? 0 : 4) & 0x0F) - 8;
                assertEquals(qj * d, deq[b * 32 + j], 0f, "block " + b + " value " + j);
            }
        }
    }

    @Test
    void rowsMustSplitIntoBlocksAndSchemesParse() {
        assertThrows(IllegalArgumentException.class, () -> QuantScheme.Q8_0.quantize(new float[48], 1, 48));
        assertEquals(QuantScheme.Q4_0, QuantScheme.parse("Q4_0"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> QuantScheme.parse("q3_x"));
        assertEquals("unknown quantization scheme \"q3_x\" (valid: q8_0, q4_0)", e.getMessage());
        assertEquals(34L * 8 * 3, QuantScheme.Q8_0.bytes(3, 256));
        assertEquals(18L * 8 * 3, QuantScheme.Q4_0.bytes(3, 256));
    }
}
