package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import org.junit.jupiter.api.Test;

/**
 * Matrix-wide rounding; the element rounding's edge cases are {@code TensorCodecTest}'s. F16 keeps 10
 * mantissa bits, so 1 + 2⁻⁸ is exact and 65520 (the tie above 65504) becomes +∞.
 */
class DTypeRoundingTest {

    @Test
    void roundsEveryElementOfAMatrix() {
        DenseMatrix m = new DenseMatrix(1, 3, new double[] {0.1, 1 + 0x1p-8, 65520});
        DenseMatrix r = DTypeRounding.round(m, DType.F16);
        assertEquals((double) Float.float16ToFloat(Float.floatToFloat16(0.1f)), r.get(0, 0), 0);
        assertEquals(1.0 + 0x1p-8, r.get(0, 1), 0);
        assertEquals(Double.POSITIVE_INFINITY, r.get(0, 2), 0);
        assertEquals(0.1, m.get(0, 0), 0, "the input is not modified");
        assertEquals(TensorCodec.round(0.3, DType.BF16), DTypeRounding.rounding(DType.BF16).applyAsDouble(0.3), 0);
    }
}
