package dev.lasermesh.core.lora;

import java.util.List;

/**
 * What a LoRA fine-tune did to one matrix: the spectra of W and of the merged W' as stored, the
 * spectrum of the update ΔW and where ΔW lies relative to W's kept subspace.
 *
 * @param name                W's tensor name
 * @param label               {@code 5.down}
 * @param shape               [rows, cols]
 * @param base                statistics of W (the NF4 round trip with {@code --base-quant nf4})
 * @param merged              statistics of W' rounded to the base dtype
 * @param deltaSingularValues the r singular values of ΔW, descending
 * @param deltaFrobeniusNorm  ‖ΔW‖_F
 * @param deltaFroOverWFro    ‖ΔW‖_F / ‖W‖_F
 * @param overlap             ΔW's share in W's top-k singular subspaces (k of W)
 */
public record AdaptedMatrixAnalysis(String name, String label, List<Integer> shape, SpectrumSide base,
                                    SpectrumSide merged, double[] deltaSingularValues, double deltaFrobeniusNorm,
                                    double deltaFroOverWFro, SubspaceOverlap overlap) {

    public AdaptedMatrixAnalysis {
        shape = List.copyOf(shape);
        deltaSingularValues = deltaSingularValues.clone();
    }

    @Override
    public double[] deltaSingularValues() {
        return deltaSingularValues.clone();
    }
}
