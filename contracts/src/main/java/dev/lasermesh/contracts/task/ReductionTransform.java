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
 * <p>For the LoRA order study (DESIGN §7.3, issue 10) the transform instead carries a {@link LoraRecipe}:
 * the matrix of a variant built from the base and the adapter, truncating exactly when the recipe does,
 * stored in the base dtype (dense).
 *
 * <p>For the methods study (DESIGN §7.4, issue 14) it carries a {@link MethodCell}: W_k of the task's rank by
 * svd, whitened or feature on the job's calibration statistics, stored dense in the matrix's dtype.
 *
 * @param truncate whether to truncate to the task's rank first; false keeps the matrix as stored (the
 *                 task's form must then be {@code dense} and its rank 0)
 * @param quantize the scheme, {@code q8_0} or {@code q4_0} (any case), or null for none; rows whose
 *                 length is not a multiple of 32 stay in the dtype
 * @param lora     the LoRA study's recipe, or null; excludes {@code quantize}
 * @param methodCell the methods study's cell, or null; truncates, excludes {@code quantize} and {@code lora}
 */
public record ReductionTransform(boolean truncate, String quantize, LoraRecipe lora, MethodCell methodCell) {

    public ReductionTransform {
        if (methodCell != null) {
            if (quantize != null || lora != null || !truncate) {
                throw new ContractException("a methods-study cell truncates and does nothing else", "methodCell");
            }
        } else if (lora != null) {
            if (quantize != null) {
                throw new ContractException("a LoRA recipe is not quantized; leave quantize out", "quantize");
            }
            if (truncate != lora.truncates()) {
                throw new ContractException("recipe " + lora.build() + (lora.truncates() ? " truncates" : " does not "
                        + "truncate") + ", so truncate must be " + lora.truncates(), "truncate");
            }
        } else if (!truncate && quantize == null) {
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

    /** A truncation and/or quantization (the quantization study). */
    public ReductionTransform(boolean truncate, String quantize) {
        this(truncate, quantize, null, null);
    }

    /** One matrix of a LoRA study variant: truncating exactly when the recipe does. */
    public ReductionTransform(LoraRecipe lora) {
        this(lora.truncates(), null, lora, null);
    }

    /** One matrix of a methods-study cell: truncated by the cell's method. */
    public ReductionTransform(MethodCell methodCell) {
        this(true, null, null, methodCell);
    }

    /** The scheme, when the result is quantized. */
    public Optional<QuantScheme> scheme() {
        return Optional.ofNullable(quantize).map(QuantScheme::parse);
    }

    /**
     * How the transform shows in task ids and file names: {@code -q8_0}, {@code -lora-merged},
     * {@code -methods-whitened}, or empty.
     */
    public String suffix() {
        return methodCell != null ? "-methods-" + methodCell.method() : lora != null ? lora.suffix()
                : quantize == null ? "" : "-" + quantize;
    }
}
