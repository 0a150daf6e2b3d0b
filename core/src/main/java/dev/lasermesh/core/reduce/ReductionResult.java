package dev.lasermesh.core.reduce;

import dev.lasermesh.core.tensor.DType;
import java.util.Objects;

/**
 * What truncating one matrix did, for the reduction-result message and the report. Serialised by
 * Jackson as a flat object with {@code storage} nested ({@link StorageAccounting}).
 *
 * @param rows             rows of the matrix
 * @param cols             columns of the matrix
 * @param rank             k
 * @param maxRank          min(rows, cols)
 * @param dtype            the tensor's element type, to which the written values are rounded
 * @param form             dense or factored
 * @param frobeniusNorm    ‖W‖_F, from the elements
 * @param error            ‖W − W_k‖_F in float64, from the elements
 * @param roundedError     ‖W − W̃_k‖_F with W̃_k the matrix as written in {@code dtype}: the rounded
 *                         dense W_k, or the product of the rounded factors
 * @param eckartYoungError √(Σ_{i≥k} S_i²), what {@code error} must equal up to rounding
 * @param relativeError    error / ‖W‖_F (0 for a zero matrix)
 * @param energyKept       Σ_{i&lt;k} S_i² / ΣS_i² (1 for a zero matrix)
 * @param storage          parameter and byte counts
 */
public record ReductionResult(int rows, int cols, int rank, int maxRank, DType dtype, StorageForm form,
                              double frobeniusNorm, double error, double roundedError, double eckartYoungError,
                              double relativeError, double energyKept, StorageAccounting storage) {

    public ReductionResult {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(storage, "storage");
    }
}
