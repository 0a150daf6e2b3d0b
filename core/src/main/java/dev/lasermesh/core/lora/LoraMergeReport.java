package dev.lasermesh.core.lora;

import java.util.List;

/**
 * What {@code lasermesh lora merge} wrote, saved as {@code lasermesh-report.json} in the output folder.
 *
 * @param base          the base model
 * @param adapter       the adapter folder
 * @param output        the merged model folder
 * @param rank          r
 * @param alpha         lora_alpha
 * @param scaling       s = α/r or α/√r
 * @param useRslora     whether s = α/√r
 * @param fanInFanOut   whether ΔW was transposed
 * @param baseQuant     {@code none} or {@code nf4}
 * @param rule          the merge formula, in words
 * @param merged        tensors replaced by W' = round(W + s·B·A)
 * @param quantizedOnly tensors replaced by their NF4 round trip alone (quantized, not adapted)
 */
public record LoraMergeReport(String base, String adapter, String output, int rank, double alpha, double scaling,
                              boolean useRslora, boolean fanInFanOut, String baseQuant, String rule,
                              List<String> merged, List<String> quantizedOnly) {

    public LoraMergeReport {
        merged = List.copyOf(merged);
        quantizedOnly = List.copyOf(quantizedOnly);
    }
}
