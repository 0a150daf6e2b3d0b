package dev.lasermesh.core.quant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One selected tensor of a quantized output, as {@code lasermesh-report.json} lists it: quantized, with
 * its bytes and errors, or kept in its dtype with the reason (a row length that is not a multiple of 32).
 *
 * @param name          the tensor name
 * @param label         a short label ({@code 5.down}), when the tensor is a catalogued matrix
 * @param rows          rows (out_features)
 * @param cols          row length (in_features): the blocks of 32 run along it
 * @param dtype         the tensor's dtype in the model (and in the written folder)
 * @param format        what ggml stores: the scheme ({@code Q8_0}) or, when kept, the dtype
 * @param bytesBefore   rows·cols·bytes(dtype)
 * @param bytesAfter    bytes as ggml stores the tensor in {@code format}
 * @param error         ‖W − deq(Q(W))‖_F and friends against the tensor's own values (float32 dequantized,
 *                      what llama.cpp computes with); absent when kept
 * @param writtenError  ‖W − Ŵ‖_F with Ŵ the dequantized values rounded to the dtype, as the folder
 *                      stores them (equal to {@code error} for F32); absent when kept
 * @param keptBecause   why the tensor was not quantized
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatrixQuantization(String name, String label, int rows, int cols, String dtype, String format,
                                 long bytesBefore, long bytesAfter, QuantizationError error, Double writtenError,
                                 String keptBecause) {

    /** Whether the tensor was quantized. */
    public boolean quantized() {
        return keptBecause == null;
    }
}
