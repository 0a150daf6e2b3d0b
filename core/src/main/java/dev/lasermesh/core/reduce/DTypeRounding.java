package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import java.util.function.DoubleUnaryOperator;

/**
 * Rounds float64 matrices to what a tensor of a given dtype stores, so that the error of a reduced
 * matrix can be reported as it will be written, not only as computed. The rounding itself is the
 * writer's, {@link TensorCodec#round(double, DType)}: round-to-nearest-even, F16 and BF16 through
 * float32 as PyTorch's {@code tensor.double().to(torch.bfloat16)} does (a double rounding).
 */
public final class DTypeRounding {

    private DTypeRounding() {
    }

    /** {@link TensorCodec#round(double, DType)} as an operator. */
    public static DoubleUnaryOperator rounding(DType dtype) {
        return x -> TensorCodec.round(x, dtype);
    }

    /** A new matrix with every element rounded to {@code dtype}. */
    public static DenseMatrix round(DenseMatrix m, DType dtype) {
        double[] d = m.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = TensorCodec.round(d[i], dtype);
        }
        return new DenseMatrix(m.rows(), m.cols(), d);
    }
}
