package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.core.calibrate.MethodTruncation;

/**
 * What a reducer wrote for one matrix and what the truncation cost.
 *
 * @param overlay        the written tensor(s), ready to overlay on the base model
 * @param rank           the rank kept (the task's k, clamped to min(out, in))
 * @param frobeniusError ‖W − W_k‖_F = √Σ_{i≥k}σ_i², in the units of the weights
 * @param energyKept     Σ_{i&lt;k}σ_i² / Σσ_i², in [0, 1]
 * @param bytesBefore    bytes of the original tensor's data
 * @param bytesAfter     bytes of the written tensors' data (equal to bytesBefore for dense)
 * @param seconds        wall-clock seconds the reducer spent on this task (load, SVD, write)
 * @param backend        the linear-algebra backend that truncated it, e.g. {@code cpu-openblas}, {@code gpu-cuda}
 * @param methodErrors   for a calibrated method (DESIGN §7.4), the activation error ‖XWᵀ − XW_kᵀ‖/‖XWᵀ‖ on the
 *                       calibration inputs next to the relative weight error, as core's
 *                       {@link MethodTruncation} records them for the report; null for W's own SVD
 */
public record ReductionOutput(Overlay overlay, int rank, double frobeniusError, double energyKept, long bytesBefore,
                              long bytesAfter, double seconds, String backend,
                              MethodTruncation.MatrixErrors methodErrors) {

    public ReductionOutput {
        Require.present(overlay, "overlay");
        Require.nonNegative(rank, "rank");
        Require.nonNegative(frobeniusError, "frobeniusError");
        Require.fraction(energyKept, "energyKept");
        Require.nonNegative(bytesBefore, "bytesBefore");
        Require.nonNegative(bytesAfter, "bytesAfter");
        Require.nonNegative(seconds, "seconds");
        Require.text(backend, "backend");
    }

    /** The output of a truncation by W's own SVD. */
    public ReductionOutput(Overlay overlay, int rank, double frobeniusError, double energyKept, long bytesBefore,
                           long bytesAfter, double seconds, String backend) {
        this(overlay, rank, frobeniusError, energyKept, bytesBefore, bytesAfter, seconds, backend, null);
    }
}
