package dev.lasermesh.core.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.RankDecision;
import dev.lasermesh.core.spectrum.SpectrumSummary;

/**
 * One matrix in the JSON of {@code lasermesh analyze} and of {@code lasermesh-report.json}: where it
 * is, its rank decision, and the spectral statistics. A matrix that could not be analysed has only
 * its identity and {@code error}.
 *
 * @param name            tensor name
 * @param layer           layer, −1 for matrices outside the layers
 * @param module          the family's module short name ({@code q}, {@code down}, {@code w1}, ...)
 * @param expert          the expert within the layer, absent for a matrix that is not an expert's
 * @param shape           [out_features, in_features]
 * @param dtype           stored element type
 * @param rank            k, the number of singular values kept
 * @param threshold       the singular value threshold, absent for policies without one
 * @param sigma           the fitted noise level σ, for the policies that estimate one
 * @param snr             laserRMT's SNR, ΣS[S &gt; t]/ΣS[S ≤ t]
 * @param snrOverSmax     SNR / σ_max (Spectrum's score)
 * @param conditionNumber σ_max / σ_min
 * @param energyKept      Σ_{i&lt;k} S² / ΣS²
 * @param frobeniusError  √Σ_{i≥k} S², the error of the rank-k truncation (Eckart–Young)
 * @param decision        the policy's full decision (inputs and note)
 * @param method          how the singular values were computed
 * @param seconds         analysis wall time
 * @param singularValues  all singular values, descending, when asked for
 * @param error           why the matrix could not be analysed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "layer", "module", "expert", "shape", "dtype", "rank", "threshold", "sigma", "snr",
        "snr_over_smax", "condition_number", "energy_kept", "frobenius_error", "decision", "method", "seconds",
        "singular_values", "error"})
public record MatrixReport(String name, int layer, String module, Integer expert, int[] shape, String dtype, Integer rank,
                           Double threshold, Double sigma, Double snr, Double snrOverSmax, Double conditionNumber,
                           Double energyKept, Double frobeniusError, RankDecision decision, String method,
                           Double seconds, double[] singularValues, String error) {

    /** The report of one analysis, with or without the singular values. */
    public static MatrixReport of(MatrixAnalysis analysis, boolean withSingularValues) {
        MatrixRef m = analysis.matrix();
        int[] shape = {m.rows(), m.cols()};
        Integer expert = m.expert() >= 0 ? m.expert() : null;
        if (analysis.summary().isEmpty()) {
            return new MatrixReport(m.name(), m.layer(), m.module(), expert, shape, m.dtype().name(), null, null,
                    null, null, null, null, null, null, null, null, analysis.seconds(), null,
                    analysis.error().orElseThrow());
        }
        SpectrumSummary s = analysis.summary().get();
        RankDecision d = s.decision();
        return new MatrixReport(m.name(), m.layer(), m.module(), expert, shape, m.dtype().name(), d.k(),
                d.threshold(), d.inputs().get("sigma"), s.snr(), s.snrOverSmax(), s.conditionNumber(),
                s.energyKept(), s.frobeniusErrorAtK(), d, analysis.method().orElseThrow(), analysis.seconds(),
                withSingularValues ? s.singularValues() : null, null);
    }
}
