package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.Require;

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
 */
public record ReductionOutput(Overlay overlay, int rank, double frobeniusError, double energyKept, long bytesBefore,
                              long bytesAfter, double seconds, String backend) {

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
}
