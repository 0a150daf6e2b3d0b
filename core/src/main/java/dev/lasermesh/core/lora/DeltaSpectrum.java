package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;

/**
 * The thin SVD ΔW = U·diag(σ)·Vᵀ of a LoRA update, computed from its factors
 * ({@link LowRankDelta#spectrum}).
 *
 * @param singularValues σ, the r singular values, descending (rank ΔW ≤ r)
 * @param left           U, rows × r, orthonormal columns (spanning the column space of L when it has rank r)
 * @param right          V, cols × r, orthonormal columns
 */
public record DeltaSpectrum(double[] singularValues, DenseMatrix left, DenseMatrix right) {

    public DeltaSpectrum {
        singularValues = singularValues.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** ‖ΔW‖_F = √Σσ². */
    public double frobeniusNorm() {
        double sum = 0;
        for (double s : singularValues) {
            sum += s * s;
        }
        return Math.sqrt(sum);
    }
}
