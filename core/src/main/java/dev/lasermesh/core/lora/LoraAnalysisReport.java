package dev.lasermesh.core.lora;

import dev.lasermesh.core.spectrum.Quantiles;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code lora analyze}: per adapted matrix what the fine-tune did to its spectrum, and a
 * summary over all of them.
 *
 * @param base      the base model
 * @param adapter   the adapter folder
 * @param baseQuant {@code none} or {@code nf4}
 * @param scaling   s of ΔW = s·B·A
 * @param rank      r
 * @param policy    the policy view (name and parameters)
 * @param backend   the linear algebra backend
 * @param matrices  one entry per adapted matrix, in catalogue order
 * @param summary   how k moved (down, up, same) and the medians of ‖ΔW‖/‖W‖ and of the energies
 */
public record LoraAnalysisReport(String base, String adapter, String baseQuant, double scaling, int rank,
                                 Map<String, Object> policy, String backend, List<AdaptedMatrixAnalysis> matrices,
                                 Summary summary) {

    public LoraAnalysisReport {
        matrices = List.copyOf(matrices);
    }

    /**
     * Aggregates over the adapted matrices.
     *
     * @param kDown                     matrices whose k fell from W to W'
     * @param kUp                       matrices whose k rose
     * @param kSame                     matrices whose k stayed
     * @param medianDeltaFroOverWFro    median of ‖ΔW‖/‖W‖
     * @param medianEnergyLeft          median of the left energy
     * @param medianEnergyRight         median of the right energy
     * @param medianEnergyBoth          median of the energy in both subspaces
     */
    public record Summary(int kDown, int kUp, int kSame, double medianDeltaFroOverWFro, double medianEnergyLeft,
                          double medianEnergyRight, double medianEnergyBoth) {

        /** The summary of {@code matrices}. */
        public static Summary of(List<AdaptedMatrixAnalysis> matrices) {
            int down = 0;
            int up = 0;
            for (AdaptedMatrixAnalysis m : matrices) {
                down += m.merged().k() < m.base().k() ? 1 : 0;
                up += m.merged().k() > m.base().k() ? 1 : 0;
            }
            return new Summary(down, up, matrices.size() - down - up,
                    median(matrices.stream().mapToDouble(AdaptedMatrixAnalysis::deltaFroOverWFro).toArray()),
                    median(matrices.stream().mapToDouble(m -> m.overlap().energyLeft()).toArray()),
                    median(matrices.stream().mapToDouble(m -> m.overlap().energyRight()).toArray()),
                    median(matrices.stream().mapToDouble(m -> m.overlap().energyBoth()).toArray()));
        }

        /** numpy's median of the values that are numbers (energies are NaN for a zero update); NaN when none are. */
        static double median(double[] values) {
            double[] numbers = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
            return numbers.length == 0 ? Double.NaN : Quantiles.median(numbers);
        }
    }
}
