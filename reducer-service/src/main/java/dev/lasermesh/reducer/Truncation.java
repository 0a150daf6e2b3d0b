package dev.lasermesh.reducer;

import dev.lasermesh.core.calibrate.MethodTruncation;
import java.util.List;

/**
 * A matrix truncated in memory, ready to be written: the tensors' values (float64, rounded to their
 * dtype by the writer) and the numbers the reduction result reports.
 *
 * @param layout         the tensors, in file order
 * @param values         each tensor's values, row-major, in the order of {@code layout}
 * @param rank           k
 * @param frobeniusError ‖W − W_k‖_F in float64, measured on the elements
 * @param energyKept     Σ_{i&lt;k}σ_i² / Σσ_i²
 * @param bytesBefore    bytes of the original tensor's data
 * @param bytesAfter     bytes of the result as stored (the written tensors', or ggml's for quantized values)
 * @param backend        the linear algebra backend that computed the SVD
 * @param methodErrors   a calibrated method's activation and weight errors (DESIGN §7.4); null for W's own SVD
 */
record Truncation(List<TensorLayout> layout, List<double[]> values, int rank, double frobeniusError,
                  double energyKept, long bytesBefore, long bytesAfter, String backend,
                  MethodTruncation.MatrixErrors methodErrors) {

    Truncation {
        layout = List.copyOf(layout);
        values = List.copyOf(values);
        if (layout.size() != values.size()) {
            throw new IllegalArgumentException(layout.size() + " tensors but " + values.size() + " value arrays");
        }
    }

    /** A truncation without a calibrated method. */
    Truncation(List<TensorLayout> layout, List<double[]> values, int rank, double frobeniusError, double energyKept,
               long bytesBefore, long bytesAfter, String backend) {
        this(layout, values, rank, frobeniusError, energyKept, bytesBefore, bytesAfter, backend, null);
    }
}
