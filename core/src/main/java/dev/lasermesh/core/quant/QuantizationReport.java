package dev.lasermesh.core.quant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.List;

/**
 * What a quantization did: {@code lasermesh-report.json} of {@code lasermesh quantize}, and the
 * {@code quantization} part of the report of {@code reduce}/{@code run --quantize}.
 *
 * @param model    the input model
 * @param output   the output folder
 * @param scheme   {@code q8_0} or {@code q4_0}
 * @param notes    how to read the numbers
 * @param matrices every selected tensor, quantized or kept
 * @param kept     the names of the tensors kept in their dtype (also marked in {@code matrices})
 * @param totals   bytes before and after
 * @param gguf     the GGUF file written alongside, when one was asked for
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantizationReport(String model, String output, String scheme, List<String> notes,
                                 List<MatrixQuantization> matrices, List<String> kept, QuantizationTotals totals,
                                 Object gguf) {

    /** The report naming {@code folder} as its output (it was written into a staging folder inside it). */
    public QuantizationReport withOutput(Path folder) {
        return new QuantizationReport(model, folder.toString(), scheme, notes, matrices, kept, totals, gguf);
    }

    /** The report with the GGUF file's summary added. */
    public QuantizationReport withGguf(Object ggufSummary) {
        return new QuantizationReport(model, output, scheme, notes, matrices, kept, totals, ggufSummary);
    }
}
