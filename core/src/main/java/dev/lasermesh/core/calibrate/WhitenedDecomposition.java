package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.RankTruncation;
import java.util.Optional;

/**
 * SVD-LLM's truncation-aware whitening (Wang et al. 2024, arXiv 2403.07378, §3.1, Theorem 3.2): with
 * S the lower Cholesky factor of C = XᵀX, truncating the SVD of W·S = UΣVᵀ and mapping back,
 * W_k = U_kΣ_k·(V_kᵀS⁻¹), minimises ‖XWᵀ − XW_kᵀ‖_F over rank-k matrices, and the discarded σ_i of
 * W·S are exactly that error. Naturally factored: A = U_k√Σ_k, B = √Σ_k V_kᵀ S⁻¹ (a triangular solve).
 * When C is not positive definite, λI is added with λ = 1e-6·mean(diag C), ×10 until Cholesky
 * succeeds (DESIGN §7.4).
 *
 * <p>Work is kept to what the method uses: W·S is a triangular product ({@code dtrmm}, half a general
 * product's flops); the policy's spectrum is all singular values of W·S by {@link LinearAlgebra#singularValues}
 * (the Gram route with its accuracy rule, no singular vectors); the factors of a chosen k come from
 * {@link LinearAlgebra#topK} (k leading triplets, Gram eigenvectors plus Rayleigh–Ritz when k is small),
 * and S⁻¹ is applied by a triangular solve, never an inverse. A full SVD with all vectors, as SVD-LLM's
 * reference code runs, is needed by none of these.
 */
public final class WhitenedDecomposition implements MethodDecomposition {

    /** Damping attempts: λ runs from 1e-6 to 1e5 times the mean diagonal. */
    private static final int DAMPING_ATTEMPTS = 12;

    private final DenseMatrix whitened;
    private final double[] spectrum;
    private final DenseMatrix whitening;
    private final double lambda;
    private final LinearAlgebra linearAlgebra;

    private WhitenedDecomposition(DenseMatrix whitened, double[] spectrum, DenseMatrix whitening, double lambda,
                                  LinearAlgebra linearAlgebra) {
        this.whitened = whitened;
        this.spectrum = spectrum;
        this.whitening = whitening;
        this.lambda = lambda;
        this.linearAlgebra = linearAlgebra;
    }

    /**
     * Decomposes {@code w} (out × in) whitened by the calibration Gram {@code c} (in × in).
     *
     * @throws InvalidInputException naming {@code what} when C stays singular after damping
     */
    public static WhitenedDecomposition of(String what, DenseMatrix w, DenseMatrix c, LinearAlgebra linearAlgebra) {
        if (c.rows() != w.cols()) {
            throw new InvalidInputException(what + ": calibration inputs are " + c.rows() + " wide but the matrix has "
                    + w.cols() + " columns (calibration of another model?)");
        }
        double lambda = 0;
        Optional<DenseMatrix> s = DoubleKernels.choleskyLower(c);
        double meanDiagonal = 0;
        for (int i = 0; i < c.rows(); i++) {
            meanDiagonal += c.get(i, i) / c.rows();
        }
        for (int attempt = 0; s.isEmpty() && attempt < DAMPING_ATTEMPTS; attempt++) {
            lambda = (attempt == 0 ? 1e-6 * meanDiagonal : lambda * 10);
            s = DoubleKernels.choleskyLower(damped(c, lambda));
        }
        if (s.isEmpty()) {
            throw new InvalidInputException(what + ": XᵀX of the calibration inputs is singular and damping cannot fix "
                    + "it (mean diagonal " + meanDiagonal + ", λ up to " + lambda + "); calibrate on more or other text");
        }
        DenseMatrix whitening = s.get();
        DenseMatrix ws = DoubleKernels.multiplyRightLower(w, whitening);
        return new WhitenedDecomposition(ws, linearAlgebra.singularValues(ws), whitening, lambda, linearAlgebra);
    }

    private static DenseMatrix damped(DenseMatrix c, double lambda) {
        double[] d = c.data().clone();
        for (int i = 0; i < c.rows(); i++) {
            d[i * c.cols() + i] += lambda;
        }
        return new DenseMatrix(c.rows(), c.cols(), d);
    }

    @Override
    public ReductionMethod method() {
        return ReductionMethod.WHITENED;
    }

    @Override
    public double[] spectrum() {
        return spectrum.clone();
    }

    @Override
    public LowRankFactors factors(int k) {
        LowRankFactors f = RankTruncation.factor(linearAlgebra.topK(whitened, k), k);
        return new LowRankFactors(f.a(), DoubleKernels.solveRightLower(f.b(), whitening));
    }

    @Override
    public double lambda() {
        return lambda;
    }
}
