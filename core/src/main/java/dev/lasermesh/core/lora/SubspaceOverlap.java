package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.Svd;
import dev.lasermesh.core.reduce.MatrixProduct;

/**
 * How much of a LoRA update ΔW lies in the subspace its base matrix W keeps at rank k: with U_k, V_k
 * the top-k singular vectors of W and ΔW = U_Δ·Σ·V_Δᵀ (from its factors),
 * <ul>
 *   <li>left energy ‖U_kᵀΔW‖²_F / ‖ΔW‖²_F = ‖(U_kᵀU_Δ)·Σ‖² / Σσ²,</li>
 *   <li>right energy ‖ΔW·V_k‖²_F / ‖ΔW‖²_F = ‖(V_kᵀV_Δ)·Σ‖² / Σσ²,</li>
 *   <li>both ‖U_kᵀ·ΔW·V_k‖²_F / ‖ΔW‖²_F = ‖(U_kᵀU_Δ)·Σ·(V_kᵀV_Δ)ᵀ‖² / Σσ²,</li>
 *   <li>the principal angles between the column space of ΔW (span U_Δ) and span U_k: the arccos of the
 *       singular values of U_Δᵀ·U_k (Björck &amp; Golub, "Numerical methods for computing angles between
 *       linear subspaces", Math. Comp. 27, 1973), in degrees, ascending.</li>
 * </ul>
 * Only k × r products are formed. The energies are NaN when ΔW = 0 (e.g. an untrained adapter, B = 0).
 *
 * @param energyLeft         share of ‖ΔW‖² in W's top-k left singular subspace
 * @param energyRight        share in the top-k right singular subspace
 * @param energyBoth         share in both at once
 * @param principalAnglesDeg min(k, r) angles in degrees, ascending
 */
public record SubspaceOverlap(double energyLeft, double energyRight, double energyBoth, double[] principalAnglesDeg) {

    public SubspaceOverlap {
        principalAnglesDeg = principalAnglesDeg.clone();
    }

    @Override
    public double[] principalAnglesDeg() {
        return principalAnglesDeg.clone();
    }

    /**
     * The overlap of {@code delta} with the kept subspace of W.
     *
     * @param keptOfW the top-k singular triplets of W (k = the policy's rank of W)
     */
    public static SubspaceOverlap of(Svd keptOfW, DeltaSpectrum delta, LinearAlgebra linearAlgebra) {
        int k = keptOfW.rank();
        double[] sigma = delta.singularValues();
        int r = sigma.length;
        DenseMatrix left = MatrixProduct.multiply(keptOfW.u().transpose(), null, delta.left(), keptOfW.u().rows());
        DenseMatrix right = MatrixProduct.multiply(keptOfW.vt(), null, delta.right(), keptOfW.vt().cols());
        DenseMatrix both = MatrixProduct.multiply(left, sigma, right.transpose(), r);
        double total = 0;
        for (double s : sigma) {
            total += s * s;
        }
        double[] cosines = k == 0 || r == 0 ? new double[0] : linearAlgebra.singularValues(left);
        double[] angles = new double[cosines.length];
        for (int i = 0; i < angles.length; i++) {
            angles[i] = Math.toDegrees(Math.acos(Math.min(1, Math.max(-1, cosines[i]))));
        }
        return new SubspaceOverlap(weighted(left, sigma) / total, weighted(right, sigma) / total,
                squaredNorm(both.data()) / total, angles);
    }

    /** ‖M·diag(σ)‖²_F = Σ_ij M_ij² σ_j². */
    private static double weighted(DenseMatrix m, double[] sigma) {
        double sum = 0;
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                double v = m.get(i, j) * sigma[j];
                sum += v * v;
            }
        }
        return sum;
    }

    private static double squaredNorm(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return sum;
    }
}
