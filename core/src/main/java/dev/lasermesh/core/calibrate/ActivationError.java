package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.reduce.MatrixProduct;

/**
 * ‖XWᵀ − XW_kᵀ‖_F / ‖XWᵀ‖_F on the calibration inputs, from their Gram matrix C = XᵀX alone:
 * ‖XDᵀ‖_F² = trace(D·C·Dᵀ) (SVD-LLM, arXiv 2403.07378, eq. 2's objective). Next to the weight error
 * it says how much of the layer's output a truncation loses.
 *
 * <p>An instance holds one W and C with the denominator trace(W·C·Wᵀ) computed once, for comparing
 * several W_k of the same matrix (ranks, methods): each costs one product D·C instead of two.
 */
public final class ActivationError {

    private final DenseMatrix w;
    private final DenseMatrix gram;
    private final double reference;

    private ActivationError(DenseMatrix w, DenseMatrix gram) {
        this.w = w;
        this.gram = gram;
        this.reference = quadratic(w, gram);
    }

    /** The errors of approximations of {@code w} on the calibration inputs whose Gram matrix is {@code gram}. */
    public static ActivationError of(DenseMatrix w, DenseMatrix gram) {
        return new ActivationError(w, gram);
    }

    public static double relative(DenseMatrix w, DenseMatrix wk, DenseMatrix gram) {
        return of(w, gram).relative(wk);
    }

    /** ‖XWᵀ − XW_kᵀ‖_F / ‖XWᵀ‖_F for {@code wk}, of W's shape. */
    public double relative(DenseMatrix wk) {
        double[] d = w.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] -= wk.data()[i];
        }
        return Math.sqrt(quadratic(new DenseMatrix(w.rows(), w.cols(), d), gram) / reference);
    }

    /** trace(M·C·Mᵀ). */
    private static double quadratic(DenseMatrix m, DenseMatrix gram) {
        DenseMatrix mc = MatrixProduct.multiply(m, null, gram, m.cols());
        double sum = 0;
        for (int i = 0; i < m.data().length; i++) {
            sum += mc.data()[i] * m.data()[i];
        }
        return sum;
    }
}
