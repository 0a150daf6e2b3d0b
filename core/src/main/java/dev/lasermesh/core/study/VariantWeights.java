package dev.lasermesh.core.study;

import java.util.Map;

/**
 * A study variant made concrete: the float32 weights to evaluate it with, and what it costs.
 *
 * @param overlays tensor name → row-major float32 values replacing the model's (the matrices as the
 *                 variant computes with them: dequantized, or the product of dequantized factors)
 * @param bytes    what the variant stores
 */
public record VariantWeights(Map<String, float[]> overlays, VariantBytes bytes) {
}
