package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.DType;
import java.util.function.DoubleUnaryOperator;

/**
 * Rounds float64 values to what a tensor of a given dtype stores, so that the error of a reduced
 * matrix can be reported as it will be written, not only as computed.
 *
 * <p>All roundings are round-to-nearest-even. F16 and BF16 go through float32 first, as PyTorch's
 * {@code tensor.double().to(torch.bfloat16)} does (a double rounding): BF16
 * keeps the upper 16 bits of the float32 after adding 0x7FFF plus the lowest kept bit (the rule of
 * PyTorch's {@code c10::BFloat16} and of the fixtures' {@code make_spectra.py}); F16 is
 * {@link Float#floatToFloat16(float)}. Values beyond a type's range become ±∞; NaN stays NaN.
 */
public final class DTypeRounding {

    private DTypeRounding() {
    }

    /** x as stored in {@code dtype}, widened back to double. */
    public static double round(double x, DType dtype) {
        return switch (dtype) {
            case F64 -> x;
            case F32 -> (float) x;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) x));
            case BF16 -> roundToBfloat16((float) x);
        };
    }

    /** {@link #round(double, DType)} as an operator. */
    public static DoubleUnaryOperator rounding(DType dtype) {
        return x -> round(x, dtype);
    }

    /** A new matrix with every element rounded to {@code dtype}. */
    public static DenseMatrix round(DenseMatrix m, DType dtype) {
        double[] d = m.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = round(d[i], dtype);
        }
        return new DenseMatrix(m.rows(), m.cols(), d);
    }

    private static float roundToBfloat16(float f) {
        if (Float.isNaN(f)) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
        return Float.intBitsToFloat(rounded << 16);
    }
}
