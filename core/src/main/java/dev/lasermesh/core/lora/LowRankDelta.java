package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.Svd;
import dev.lasermesh.core.linalg.ThinQr;
import dev.lasermesh.core.reduce.MatrixProduct;

/**
 * The update a LoRA adapter adds to one base matrix, kept as its factors: ΔW = s·L·R with L rows × r
 * and R r × cols (L = B, R = A; with {@code fan_in_fan_out} L = Aᵀ, R = Bᵀ), in float64.
 *
 * @param left  L, rows × r
 * @param right R, r × cols
 * @param scale s = α/r (α/√r with rsLoRA)
 */
public record LowRankDelta(DenseMatrix left, DenseMatrix right, double scale) {

    public LowRankDelta {
        if (left.cols() != right.rows()) {
            throw new IllegalArgumentException("factors " + left + " and " + right + " do not chain");
        }
    }

    /** r, the inner dimension of the factors. */
    public int rank() {
        return left.cols();
    }

    /**
     * ΔW = s·(L·R) as a dense rows × cols matrix: the product in float64, then scaled, the order of
     * PEFT's {@code get_delta_weight} ({@code (B @ A) * scaling}).
     */
    public DenseMatrix dense() {
        DenseMatrix product = MatrixProduct.multiply(left, null, right, rank());
        double[] d = product.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
        }
        return product;
    }

    /**
     * The singular value decomposition of ΔW from its factors, never from the dense rows × cols
     * matrix: L = Q_L·R_L and Rᵀ = Q_R·R_R (thin QR), so ΔW = Q_L·(s·R_L·R_Rᵀ)·Q_Rᵀ and the SVD of
     * the r × r core C = U_C·Σ·V_Cᵀ gives ΔW = (Q_L·U_C)·Σ·(Q_R·V_C)ᵀ (the standard route for a
     * product of thin factors; Golub &amp; Van Loan, "Matrix Computations", 4th ed., §8.6.1 and §5.4).
     * Costs O((rows + cols)·r²) instead of O(rows·cols·min(rows, cols)).
     */
    public DeltaSpectrum spectrum(LinearAlgebra linearAlgebra) {
        int r = rank();
        ThinQr qrLeft = ThinQr.of(left);
        ThinQr qrRight = ThinQr.of(right.transpose());
        DenseMatrix core = MatrixProduct.multiply(qrLeft.r(), null, qrRight.r().transpose(), r);
        double[] c = core.data();
        for (int i = 0; i < c.length; i++) {
            c[i] *= scale;
        }
        Svd svd = linearAlgebra.topK(core, r);
        return new DeltaSpectrum(svd.s(), MatrixProduct.multiply(qrLeft.q(), null, svd.u(), r),
                MatrixProduct.multiply(qrRight.q(), null, svd.vt().transpose(), r));
    }
}
