package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.quant.QuantScheme;
import java.util.Optional;

/**
 * What a reduction task does to its matrix beyond today's truncation, for the quantization study
 * (DESIGN §7.2, issue 9): keep the matrix or truncate it to rank k, then optionally quantize the result
 * (the dense matrix, or each factor of a factored one) with a ggml block scheme. A task without a
 * transform truncates and stores, as before this field existed, so older JSON reads the same.
 *
 * <p>Quantized results are stored as their dequantized values in F32, the values an evaluator computes
 * with, exactly as core's {@code QuantizationStudy} computes with them; the bytes reported are ggml's.
 *
 * @param truncate whether to truncate to the task's rank first; false keeps the matrix as stored (the
 *                 task's form must then be {@code dense} and its rank 0)
 * @param quantize the scheme, {@code q8_0} or {@code q4_0} (any case), or null for none; rows whose
 *                 length is not a multiple of 32 stay in the dtype
 */
public record ReductionTransform(boolean truncate, String quantize) {

    public ReductionTransform {
        if (!truncate && quantize == null) {
            throw new ContractException("a transform that neither truncates nor quantizes does nothing; leave it out",
                    "quantize");
        }
        if (quantize != null) {
            try {
                quantize = QuantScheme.parse(quantize).cliName();
            } catch (InvalidInputException e) {
                throw new ContractException(e.getMessage(), "quantize");
            }
        }
    }

    /** The scheme, when the result is quantized. */
    public Optional<QuantScheme> scheme() {
        return Optional.ofNullable(quantize).map(QuantScheme::parse);
    }

    /** How the transform shows in task ids and file names: {@code -q8_0}, or empty. */
    public String suffix() {
        return quantize == null ? "" : "-" + quantize;
    }
}
