package dev.lasermesh.core.lora;

/**
 * {@link AdaptedMatrixAnalysis} with the singular values it was computed from, for the dashboard's
 * overlay of the spectra of W and W' (issue 10).
 *
 * @param analysis the statistics
 * @param base     the singular values of W, descending
 * @param merged   the singular values of W' as stored, descending
 */
public record AdaptedMatrixSpectra(AdaptedMatrixAnalysis analysis, double[] base, double[] merged) {

    public AdaptedMatrixSpectra {
        base = base.clone();
        merged = merged.clone();
    }

    @Override
    public double[] base() {
        return base.clone();
    }

    @Override
    public double[] merged() {
        return merged.clone();
    }
}
