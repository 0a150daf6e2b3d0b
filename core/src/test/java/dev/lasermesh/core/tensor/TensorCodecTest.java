package dev.lasermesh.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Rounding edge cases of BF16/F16 encoding and of {@link TensorCodec#round(double, DType)} (IEEE 754
 * round-to-nearest-even, PyTorch's NaN choices), derived by hand from the formats (BF16 has 7 stored
 * mantissa bits, F16 10, F32 23), and exact decoding.
 */
class TensorCodecTest {

    private static final double BF16_ULP_AT_ONE = 0x1p-7;

    private static float bits(int b) {
        return Float.intBitsToFloat(b);
    }

    private static int bf16(float f) {
        return TensorCodec.floatToBf16(f) & 0xFFFF;
    }

    private static int f16(float f) {
        return TensorCodec.floatToF16(f) & 0xFFFF;
    }

    @Test
    void bf16TiesRoundToEven() {
        assertEquals(0x3F80, bf16(bits(0x3F808000)), "1 + 2^-8 lies halfway between 0x3F80 (even) and 0x3F81");
        assertEquals(0x3F82, bf16(bits(0x3F818000)), "halfway between 0x3F81 and 0x3F82 (even)");
        assertEquals(0x3F81, bf16(bits(0x3F808001)), "just above halfway rounds up");
        assertEquals(0x3F81, bf16(bits(0x3F817FFF)), "just below halfway rounds down");
        assertEquals(0xBF82, bf16(bits(0xBF818000)), "negative tie to even");
        assertEquals(1.0, TensorCodec.round(1 + BF16_ULP_AT_ONE / 2, DType.BF16), 0, "tie, 1.0 is even");
        assertEquals(1 + 2 * BF16_ULP_AT_ONE, TensorCodec.round(1 + 1.5 * BF16_ULP_AT_ONE, DType.BF16), 0,
                "tie, 1 + 2 ulp is even");
        assertEquals(1 + BF16_ULP_AT_ONE, TensorCodec.round(1 + BF16_ULP_AT_ONE / 2 + 0x1p-20, DType.BF16), 0);
        assertEquals(-(1 + BF16_ULP_AT_ONE), TensorCodec.round(-(1 + 0.7 * BF16_ULP_AT_ONE), DType.BF16), 0);
        assertEquals(1.0, TensorCodec.round(1 + 0.49 * BF16_ULP_AT_ONE, DType.BF16), 0);
    }

    @Test
    void bf16SpecialValues() {
        assertEquals(0x7FC0, bf16(Float.NaN));
        assertEquals(0x7FC0, bf16(bits(0xFFC00001)), "PyTorch returns the positive canonical NaN for any NaN");
        assertEquals(0x7FC0, bf16(bits(0x7F800001)), "a signalling NaN whose payload would round away stays NaN");
        assertEquals(0x7F80, bf16(Float.POSITIVE_INFINITY));
        assertEquals(0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertEquals(0x8000, bf16(-0.0f));
        assertEquals(0x0000, bf16(0.0f));
        assertTrue(Double.isNaN(TensorCodec.round(Double.NaN, DType.BF16)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(TensorCodec.round(-1e-50, DType.BF16)));
    }

    @Test
    void bf16OverflowRoundsToInfinity() {
        assertEquals(0x7F80, bf16(Float.MAX_VALUE), "0x7F7FFFFF is above the largest bf16's midpoint");
        assertEquals(0xFF80, bf16(-Float.MAX_VALUE));
        assertEquals(0x7F7F, bf16(bits(0x7F7F7FFF)), "largest finite bf16 when below the midpoint");
        assertEquals(0x7F80, bf16(bits(0x7F7F8000)), "midpoint ties to even: 0x7F80 is infinity");
        double largest = Float.intBitsToFloat(0x7F7F0000);
        assertEquals(largest, TensorCodec.round(largest, DType.BF16), 0);
        assertEquals(Double.POSITIVE_INFINITY, TensorCodec.round(Float.MAX_VALUE, DType.BF16), 0);
        assertEquals(Double.NEGATIVE_INFINITY, TensorCodec.round(-3.4e38, DType.BF16), 0);
        assertEquals(Double.POSITIVE_INFINITY, TensorCodec.round(1e300, DType.BF16), 0);
    }

    @Test
    void bf16SubnormalsRoundLikeNormals() {
        assertEquals(0x0002, bf16(bits(0x00018000)), "halfway between 0x0001 and 0x0002 (even)");
        assertEquals(0x0000, bf16(bits(0x00008000)), "halfway between 0 (even) and the smallest subnormal");
        // 1e-40 is the float32 subnormal 71362·2⁻¹⁴⁹ = 0x116C2; bf16 keeps 0x0001 → 2⁻¹³³.
        assertEquals(0x1p-133, TensorCodec.round(1e-40, DType.BF16), 0);
    }

    @Test
    void f16TiesRoundToEven() {
        assertEquals(0x3C00, f16(1f + 0x1p-11f), "halfway between 1 (even) and 1 + 2^-10");
        assertEquals(0x3C02, f16(1f + 3 * 0x1p-11f), "halfway between 0x3C01 and 0x3C02 (even)");
        assertEquals(0x0000, f16(0x1p-25f), "halfway between 0 and the smallest subnormal rounds to 0");
        assertEquals(0x0001, f16(1.5f * 0x1p-25f), "above halfway rounds to the smallest subnormal");
        assertEquals(0x0002, f16(3 * 0x1p-25f), "halfway between subnormals 1 and 2 goes to 2");
        assertEquals(1.0, TensorCodec.round(1 + 0x1p-11, DType.F16), 0, "tie, 1.0 is even");
        assertEquals(1 + 0x1p-10, TensorCodec.round(1 + 0x1p-11 + 0x1p-20, DType.F16), 0);
        assertEquals(0x1p-24, TensorCodec.round(0x1p-24, DType.F16), 0, "smallest subnormal");
        assertEquals(0.0, TensorCodec.round(0x1p-26, DType.F16), 0);
    }

    @Test
    void f16OverflowAndSpecials() {
        assertEquals(0x7BFF, f16(65504f), "largest finite half");
        assertEquals(0x7BFF, f16(65519.99f), "below the midpoint to infinity");
        assertEquals(0x7C00, f16(65520f), "the midpoint ties to even, which is infinity");
        assertEquals(0xFC00, f16(-1e6f));
        assertEquals(0x7C00, f16(Float.POSITIVE_INFINITY));
        assertEquals(0x7E00, f16(Float.NaN));
        assertEquals(0xFE00, f16(bits(0xFFC00001)), "NaN keeps its sign, as c10's fp16_ieee_from_fp32_value");
        assertEquals(0x8000, f16(-0.0f));
        assertEquals(65504.0, TensorCodec.round(65504, DType.F16), 0);
        assertEquals(65504.0, TensorCodec.round(65519, DType.F16), 0);
        assertEquals(Double.POSITIVE_INFINITY, TensorCodec.round(65520, DType.F16), 0, "tie rounds up to even = inf");
    }

    @Test
    void roundLeavesF64AndRoundsF32ToNearestEven() {
        assertEquals(0.1, TensorCodec.round(0.1, DType.F64), 0);
        assertEquals((double) 0.1f, TensorCodec.round(0.1, DType.F32), 0);
        assertEquals(1 + 0x1p-23, TensorCodec.round(1 + 0x1p-23 + 0x1p-25, DType.F32), 0);
        assertEquals(1.0, TensorCodec.round(1 + 0x1p-24, DType.F32), 0, "tie to even");
    }

    @Test
    void f16DecodesExactly() {
        assertEquals(65504f, TensorCodec.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, TensorCodec.f16ToFloat((short) 0x0001));
        assertEquals(-2f, TensorCodec.f16ToFloat((short) 0xC000));
        assertTrue(Float.isNaN(TensorCodec.f16ToFloat((short) 0x7E00)));
    }

    /** Through float32 first, as PyTorch: 1 + 2⁻⁸ + 2⁻³⁰ becomes the tie 1 + 2⁻⁸ in float32, then 1. */
    @Test
    void doublesRoundToFloat32FirstAsPyTorchDoes() {
        double justAboveTie = 1.0 + 0x1p-8 + 0x1p-40;
        assertEquals(0x3F80, bf16((float) justAboveTie), "float32 rounding loses the excess and leaves a tie");
        assertEquals(1.0, TensorCodec.round(1 + 0x1p-8 + 0x1p-30, DType.BF16), 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(2);
            TensorCodec.encode(new double[] {justAboveTie}, 0, 1, DType.BF16, out);
            assertEquals(0x3F80, out.get(TensorCodec.U16_LE, 0) & 0xFFFF);
        }
    }

    /**
     * BF16 rounding against NumPy's: {@code spectra/planted-r24-640x256-bf16.safetensors} is the
     * float32 matrix of {@code planted-r24-640x256.safetensors} rounded to nearest even by
     * {@code make_spectra.py}; the expected values are its stored bits, widened by hand.
     */
    @Test
    void bf16OfEveryFloat32ElementMatchesTheSpectraFixture() {
        try (TensorSource f32 = TensorSources.open(Fixtures.path("spectra/planted-r24-640x256.safetensors"));
             TensorSource bf16 = TensorSources.open(Fixtures.path("spectra/planted-r24-640x256-bf16.safetensors"))) {
            assertEquals(DType.F32, f32.info("weight").dtype());
            assertEquals(DType.BF16, bf16.info("weight").dtype());
            float[] values = f32.readFloats("weight");
            assertEquals(640 * 256, values.length);
            MemorySegment stored = bf16.bytes("weight");
            for (int i = 0; i < values.length; i++) {
                float expected = Float.intBitsToFloat((stored.getAtIndex(TensorCodec.U16_LE, i) & 0xFFFF) << 16);
                assertEquals(expected, TensorCodec.round(values[i], DType.BF16), 0, "element " + i + " = " + values[i]);
            }
        }
    }

    @Test
    void everyDtypeRoundTripsRepresentableValues() {
        float[] values = {0f, -0f, 1f, -2.5f, 0.15625f, 1024f, -0x1p-14f, Float.POSITIVE_INFINITY};
        for (DType dtype : DType.values()) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment bytes = arena.allocate((long) values.length * dtype.byteSize());
                TensorCodec.encode(values, 0, values.length, dtype, bytes);
                float[] floats = new float[values.length + 1];
                TensorCodec.decode(bytes, dtype, floats, 1, values.length);
                double[] doubles = new double[values.length];
                TensorCodec.decode(bytes, dtype, doubles, 0, values.length);
                for (int i = 0; i < values.length; i++) {
                    assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(floats[i + 1]), dtype + " " + i);
                    assertEquals((double) values[i], doubles[i], dtype + " " + i);
                }
            }
        }
    }

    @Test
    void f64DecodesToNearestFloatAndExactDouble() {
        double[] values = {Math.PI, 1e-300, -1e300};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(24);
            TensorCodec.encode(values, 0, 3, DType.F64, bytes);
            float[] floats = new float[3];
            double[] doubles = new double[3];
            TensorCodec.decode(bytes, DType.F64, floats, 0, 3);
            TensorCodec.decode(bytes, DType.F64, doubles, 0, 3);
            assertArrayEquals(values, doubles);
            assertArrayEquals(new float[] {(float) Math.PI, 0f, Float.NEGATIVE_INFINITY}, floats);
        }
    }

    @Test
    void longBlocksDecodeAcrossScratchBoundaries() {
        int n = 40_000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.25f;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(2L * n);
            TensorCodec.encode(values, 0, n, DType.BF16, bytes);
            float[] back = new float[n];
            TensorCodec.decode(bytes, DType.BF16, back, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(values[i])), back[i]);
            }
            assertEquals(8192f, back[32768], "an element past the first scratch block");
        }
    }
}
