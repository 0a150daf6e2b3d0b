package dev.lasermesh.core.study;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import java.util.Optional;

/**
 * One matrix (a dense matrix or one factor of a factored LASER matrix) as a study variant stores it:
 * the float32 values computed with (dequantized when quantized) and how it is stored. Shared by the
 * standalone study and the mesh's reducers, so both compute with the same values (DESIGN §7.2: a row
 * whose length is not a multiple of 32 stays in the dtype).
 *
 * @param values row-major float32 values as the variant computes with them
 * @param factor rows, row length, format and bytes as stored
 */
public record StoredValues(float[] values, StoredFactor factor) {

    /**
     * {@code values} (rows × cols, already representable in {@code dtype}) quantized with {@code scheme}
     * and dequantized when its rows split into blocks of 32, else kept in the dtype.
     */
    public static StoredValues of(float[] values, int rows, int cols, DType dtype, Optional<QuantScheme> scheme) {
        StoredFactor stored = stored(rows, cols, dtype, scheme);
        return new StoredValues(quantized(scheme, cols) ? scheme.get().quantize(values, rows, cols).dequantize() : values,
                stored);
    }

    /** How a rows × cols matrix in {@code dtype} is stored under {@code scheme}: format and bytes. */
    public static StoredFactor stored(int rows, int cols, DType dtype, Optional<QuantScheme> scheme) {
        return quantized(scheme, cols)
                ? new StoredFactor(rows, cols, scheme.get().ggmlName(), scheme.get().bytes(rows, cols))
                : new StoredFactor(rows, cols, dtype.name(), (long) rows * cols * dtype.byteSize());
    }

    private static boolean quantized(Optional<QuantScheme> scheme, int cols) {
        return scheme.isPresent() && QuantScheme.fits(cols);
    }

    /** {@code m}'s float64 values rounded to {@code dtype} (round to nearest even), as a writer stores them. */
    public static float[] rounded(DenseMatrix m, DType dtype) {
        double[] d = m.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) TensorCodec.round(d[i], dtype);
        }
        return out;
    }
}
