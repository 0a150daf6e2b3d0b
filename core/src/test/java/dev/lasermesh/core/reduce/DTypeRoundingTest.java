package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.DType;
import org.junit.jupiter.api.Test;

/** Edge cases derived by hand from the formats: BF16 has 7 stored mantissa bits, F16 10, F32 23. */
class DTypeRoundingTest {

    private static final double BF16_ULP_AT_ONE = 0x1p-7;

    @Test
    void float64IsUntouchedAndFloat32IsTheJavaCast() {
        assertEquals(0.1, DTypeRounding.round(0.1, DType.F64), 0);
        assertEquals((double) 0.1f, DTypeRounding.round(0.1, DType.F32), 0);
        assertEquals(1 + 0x1p-23, DTypeRounding.round(1 + 0x1p-23 + 0x1p-25, DType.F32), 0);
        assertEquals(1.0, DTypeRounding.round(1 + 0x1p-24, DType.F32), 0, "tie to even");
    }

    @Test
    void bfloat16RoundsToNearestWithTiesToEven() {
        assertEquals(1.0, DTypeRounding.round(1 + BF16_ULP_AT_ONE / 2, DType.BF16), 0, "tie, 1.0 is even");
        assertEquals(1 + 2 * BF16_ULP_AT_ONE, DTypeRounding.round(1 + 1.5 * BF16_ULP_AT_ONE, DType.BF16), 0,
                "tie, 1 + 2 ulp is even");
        assertEquals(1 + BF16_ULP_AT_ONE, DTypeRounding.round(1 + BF16_ULP_AT_ONE / 2 + 0x1p-20, DType.BF16), 0);
        assertEquals(-(1 + BF16_ULP_AT_ONE), DTypeRounding.round(-(1 + 0.7 * BF16_ULP_AT_ONE), DType.BF16), 0);
        assertEquals(1.0, DTypeRounding.round(1 + 0.49 * BF16_ULP_AT_ONE, DType.BF16), 0);
    }

    /** Through float32 first, as PyTorch: 1 + 2⁻⁸ + 2⁻³⁰ becomes the tie 1 + 2⁻⁸ in float32, then 1. */
    @Test
    void bfloat16RoundsTwiceThroughFloat32() {
        assertEquals(1.0, DTypeRounding.round(1 + 0x1p-8 + 0x1p-30, DType.BF16), 0);
    }

    @Test
    void bfloat16RangeNaNAndSubnormals() {
        double largest = Float.intBitsToFloat(0x7F7F0000);
        assertEquals(largest, DTypeRounding.round(largest, DType.BF16), 0);
        assertEquals(Double.POSITIVE_INFINITY, DTypeRounding.round(Float.MAX_VALUE, DType.BF16), 0);
        assertEquals(Double.NEGATIVE_INFINITY, DTypeRounding.round(-3.4e38, DType.BF16), 0);
        assertEquals(Double.POSITIVE_INFINITY, DTypeRounding.round(1e300, DType.BF16), 0);
        assertTrue(Double.isNaN(DTypeRounding.round(Double.NaN, DType.BF16)));
        // 1e-40 is the float32 subnormal 71362·2⁻¹⁴⁹ = 0x116C2; bf16 keeps 0x0001 → 2⁻¹³³.
        assertEquals(0x1p-133, DTypeRounding.round(1e-40, DType.BF16), 0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DTypeRounding.round(-1e-50, DType.BF16)));
    }

    @Test
    void float16RangeTiesAndSubnormals() {
        assertEquals(65504.0, DTypeRounding.round(65504, DType.F16), 0);
        assertEquals(65504.0, DTypeRounding.round(65519, DType.F16), 0);
        assertEquals(Double.POSITIVE_INFINITY, DTypeRounding.round(65520, DType.F16), 0, "tie rounds up to even = inf");
        assertEquals(1.0, DTypeRounding.round(1 + 0x1p-11, DType.F16), 0, "tie, 1.0 is even");
        assertEquals(1 + 0x1p-10, DTypeRounding.round(1 + 0x1p-11 + 0x1p-20, DType.F16), 0);
        assertEquals(0x1p-24, DTypeRounding.round(0x1p-24, DType.F16), 0, "smallest subnormal");
        assertEquals(0.0, DTypeRounding.round(0x1p-26, DType.F16), 0);
    }

    @Test
    void roundsEveryElementOfAMatrix() {
        DenseMatrix m = new DenseMatrix(1, 3, new double[] {0.1, 1 + 0x1p-8, 65520});
        DenseMatrix r = DTypeRounding.round(m, DType.F16);
        assertEquals((double) Float.float16ToFloat(Float.floatToFloat16(0.1f)), r.get(0, 0), 0);
        assertEquals(1.0 + 0x1p-8, r.get(0, 1), 0);
        assertEquals(Double.POSITIVE_INFINITY, r.get(0, 2), 0);
        assertEquals(0.1, m.get(0, 0), 0, "the input is not modified");
        assertEquals(DTypeRounding.round(0.3, DType.BF16), DTypeRounding.rounding(DType.BF16).applyAsDouble(0.3), 0);
    }
}
