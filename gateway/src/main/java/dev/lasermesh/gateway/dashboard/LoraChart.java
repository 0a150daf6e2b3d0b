package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.core.lora.AdaptedMatrixSpectra;
import dev.lasermesh.core.lora.LoraStudyReport;
import java.util.List;

/**
 * What a LoRA study job's fine-tune did, for the dashboard (DESIGN §7.3, issue 10): per adapted matrix
 * of the job's selection the spectra of W and W' with the policy's statistics of both (k, threshold,
 * SNR), ΔW's singular values, ‖ΔW‖/‖W‖ and ΔW's share in W's kept subspace — core's {@code lora analyze}
 * ({@code LoraAnalyzer}) — and the order study's table once every variant is scored.
 *
 * @param adapter   the adapter folder
 * @param baseQuant {@code none} or {@code nf4}
 * @param matrices  the adapted matrices of the selection, in catalogue order
 * @param study     the order study's table; null until every variant is scored
 */
public record LoraChart(String adapter, String baseQuant, List<AdaptedMatrixSpectra> matrices,
                        LoraStudyReport study) {

    public LoraChart {
        matrices = List.copyOf(matrices);
    }
}
