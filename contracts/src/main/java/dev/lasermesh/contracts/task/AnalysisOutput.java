package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.Require;
import dev.lasermesh.core.spectrum.SpectrumSummary;

/**
 * What an analyzer found for one matrix.
 *
 * @param spectrum core's summary: all singular values (descending), the rank decision (policy, inputs,
 *                 threshold, k, note), laserRMT's SNR and SNR/σ_max, condition number σ_max/σ_min,
 *                 Frobenius norm, energy kept Σ_{i&lt;k}σ²/Σσ² and Frobenius error √Σ_{i≥k}σ² at the
 *                 decided rank (same units as the weights)
 * @param seconds  wall-clock seconds the analyzer spent on this task (loading, spectrum, decision)
 * @param backend  the linear-algebra backend that computed the singular values, e.g. {@code cpu-openblas},
 *                 {@code gpu-cuda}
 */
public record AnalysisOutput(SpectrumSummary spectrum, double seconds, String backend) {

    public AnalysisOutput {
        Require.present(spectrum, "spectrum");
        Require.nonNegative(seconds, "seconds");
        Require.text(backend, "backend");
    }
}
