package dev.lasermesh.core.study;

import java.util.List;

/**
 * What a study variant costs, from the matrices' shapes, formats and ranks alone (no value computed),
 * so that a scheduler can fill the table from perplexities measured elsewhere.
 *
 * @param linearBytes      bytes of the linear matrices as the variant stores them (ggml's for quantized ones)
 * @param modelBytes       linearBytes plus every other tensor at its stored size
 * @param factoredMatrices the factors' formats and bytes, for factored variants (else empty)
 */
public record VariantBytes(long linearBytes, long modelBytes, List<FactoredLaserMatrix> factoredMatrices) {

    public VariantBytes {
        factoredMatrices = List.copyOf(factoredMatrices);
    }
}
