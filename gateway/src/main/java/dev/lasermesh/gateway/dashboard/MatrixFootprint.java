package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.tensor.DType;

/**
 * One selected matrix as the compression table counts it.
 *
 * @param module    its module type ({@code q}, {@code down}, ...)
 * @param rows      rows
 * @param cols      columns
 * @param dtype     the dtype of the model's tensor
 * @param reduction the reduction that replaced it in the output model; null when the output keeps it whole
 */
public record MatrixFootprint(String module, int rows, int cols, DType dtype, ReductionOutput reduction) {

    /** rows·cols: the dense matrix's parameters. */
    public long denseParameters() {
        return (long) rows * cols;
    }

    /**
     * k·(rows + cols): the parameters of the factored form U_k·√S_k (rows × k) and √S_k·V_kᵀ (k × cols)
     * at the kept rank; rows·cols for a matrix kept whole.
     */
    public long factoredParameters() {
        return reduction == null ? denseParameters() : (long) reduction.rank() * (rows + cols);
    }
}
