package dev.lasermesh.reducer;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.calibrate.MethodTruncation;

/**
 * A reduction as it stands in the artifact store: the overlay (references with checksums) and the
 * numbers recorded with it.
 *
 * @param overlay        the written tensors
 * @param rank           k
 * @param frobeniusError ‖W − W_k‖_F
 * @param energyKept     Σ_{i&lt;k}σ_i² / Σσ_i²
 * @param bytesBefore    bytes of the original tensor's data
 * @param bytesAfter     bytes of the result as stored (ggml's for quantized values)
 * @param backend        the backend that computed it
 * @param methodErrors   a calibrated method's activation and weight errors; null for W's own SVD
 */
record StoredReduction(Overlay overlay, int rank, double frobeniusError, double energyKept, long bytesBefore,
                       long bytesAfter, String backend, MethodTruncation.MatrixErrors methodErrors) {

    /** The result's output, with the seconds this task took. */
    ReductionOutput output(double seconds) {
        return new ReductionOutput(overlay, rank, frobeniusError, energyKept, bytesBefore, bytesAfter, seconds, backend,
                methodErrors);
    }
}
