package dev.lasermesh.core.lora;

import dev.lasermesh.core.model.MatrixRef;

/**
 * One base matrix a LoRA adapter changes, with the names of its two factors in the adapter file.
 *
 * @param matrix the base model's matrix
 * @param loraA  {@code base_model.model.<module>.lora_A.weight}, [r, in]
 * @param loraB  {@code base_model.model.<module>.lora_B.weight}, [out, r]
 */
public record AdaptedMatrix(MatrixRef matrix, String loraA, String loraB) {
}
