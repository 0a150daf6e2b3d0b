package dev.lasermesh.core.reduce;

import dev.lasermesh.core.tensor.DType;
import java.util.Locale;
import java.util.Objects;

/**
 * Parameter and byte counts of a rows × cols matrix kept at rank k, dense and factored. The dense
 * form has rows·cols numbers before and after truncation; the factored form has k(rows + cols), which
 * saves memory only when k(rows + cols) &lt; rows·cols, i.e. k &lt; rows·cols/(rows + cols). The
 * break-even rank ⌊rows·cols/(rows + cols)⌋ is the largest k whose factored form is not larger (equal
 * when the quotient is an integer, e.g. k = n/2 for an n × n matrix).
 *
 * @param rows                rows of the matrix
 * @param cols                columns of the matrix
 * @param rank                k
 * @param dtype               element type of the stored tensors
 * @param denseParameters     rows·cols
 * @param factoredParameters  k(rows + cols)
 * @param denseBytes          rows·cols·bytes(dtype)
 * @param factoredBytes       k(rows + cols)·bytes(dtype)
 * @param breakEvenRank       ⌊rows·cols/(rows + cols)⌋, the largest k whose factored form is not larger
 * @param factoredSavesMemory k(rows + cols) &lt; rows·cols
 */
public record StorageAccounting(int rows, int cols, int rank, DType dtype, long denseParameters,
                                long factoredParameters, long denseBytes, long factoredBytes, int breakEvenRank,
                                boolean factoredSavesMemory) {

    public StorageAccounting {
        Objects.requireNonNull(dtype, "dtype");
    }

    /**
     * The counts for a rows × cols matrix at rank k stored as {@code dtype}.
     *
     * @throws IllegalArgumentException when the shape is not positive or k is outside [0, min(rows, cols)]
     */
    public static StorageAccounting of(int rows, int cols, int rank, DType dtype) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        if (rank < 0 || rank > Math.min(rows, cols)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rank %d outside [0, %d] for a %dx%d matrix", rank, Math.min(rows, cols), rows, cols));
        }
        long dense = (long) rows * cols;
        long factored = (long) rank * (rows + (long) cols);
        return new StorageAccounting(rows, cols, rank, dtype, dense, factored, dense * dtype.byteSize(),
                factored * dtype.byteSize(), (int) (dense / (rows + (long) cols)), factored < dense);
    }
}
