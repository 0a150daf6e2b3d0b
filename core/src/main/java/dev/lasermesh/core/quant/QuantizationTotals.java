package dev.lasermesh.core.quant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The selected tensors of a quantized output added up.
 *
 * @param quantized   tensors quantized
 * @param kept        tensors kept in their dtype (row length not a multiple of 32)
 * @param bytesBefore their bytes in their dtypes
 * @param bytesAfter  their bytes as ggml stores them (kept ones at their dtype's size)
 * @param compression bytesBefore / bytesAfter
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QuantizationTotals(int quantized, int kept, long bytesBefore, long bytesAfter, double compression) {

    /** The totals of {@code matrices}. */
    public static QuantizationTotals of(List<MatrixQuantization> matrices) {
        long before = matrices.stream().mapToLong(MatrixQuantization::bytesBefore).sum();
        long after = matrices.stream().mapToLong(MatrixQuantization::bytesAfter).sum();
        int quantized = (int) matrices.stream().filter(MatrixQuantization::quantized).count();
        return new QuantizationTotals(quantized, matrices.size() - quantized, before, after,
                after == 0 ? 1.0 : (double) before / after);
    }
}
