package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;

/**
 * A matrix truncated to rank k in its original shape.
 *
 * @param reconstruction W_k in float64 (the tensor writer rounds it to the dtype)
 * @param result         errors and accounting
 */
public record DenseReduction(DenseMatrix reconstruction, ReductionResult result) {
}
