package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.reduce.MatrixProduct;

/**
 * ‖XWᵀ − XW_kᵀ‖_F / ‖XWᵀ‖_F on the calibration inputs, from their Gram matrix C = XᵀX alone:
 * ‖XDᵀ‖_F² = trace(D·C·Dᵀ) (SVD-LLM, arXiv 2403.07378, eq. 2's objective). Next to the weight error
 * it says how much of the layer's output a truncation loses.
 */
public final class ActivationError {

    private ActivationError() {
    }

    public static double relative(DenseMatrix w, DenseMatrix wk, DenseMatrix gram) {
        double[] d = w.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] -= wk.data()[i];
        }
        return Math.sqrt(quadratic(new DenseMatrix(w.rows(), w.cols(), d), gram) / quadratic(w, gram));
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
