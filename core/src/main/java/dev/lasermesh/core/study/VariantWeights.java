package dev.lasermesh.core.study;

import java.util.List;
import java.util.Map;

/**
 * A study variant made concrete: the float32 weights to evaluate it with, and what it costs.
 *
 * @param overlays        tensor name → row-major float32 values replacing the model's (the matrices as
 *                        the variant computes with them: dequantized, or the product of dequantized factors)
 * @param linearBytes     bytes of the linear matrices as the variant stores them
 * @param modelBytes      linearBytes plus every other tensor at its stored size
 * @param factoredMatrices the factors' formats and bytes, for factored variants (else empty)
 */
public record VariantWeights(Map<String, float[]> overlays, long linearBytes, long modelBytes,
                             List<FactoredLaserMatrix> factoredMatrices) {
}
