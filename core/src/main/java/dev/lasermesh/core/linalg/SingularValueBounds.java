package dev.lasermesh.core.linalg;

/**
 * A bound on the relative error of every singular value, by the route that computed it; the rule in
 * {@link SvdMethodChooser} accepts a value when its bound is at most
 * {@value SvdMethodChooser#REQUIRED_RELATIVE_ACCURACY}.
 *
 * <p>All bounds are first-order estimates with one constant c = {@value #ERROR_CONSTANT} in front of
 * ε = 2⁻⁵² for the backward errors of the BLAS/LAPACK steps (forming a product, a symmetric
 * eigensolver, an SVD), whose worst cases grow with the dimension but which in practice stay near ε
 * times the norm (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §3.1 and
 * §3.5 on probabilistic error growth). The constant was checked against measured errors: on
 * matrices with known power-law spectra (cond 1e3 and 1e6; 300×700, 640×256, 400×400; three seeds)
 * the Gram eigenvalues below 0.01·λ_max differed from dgesdd's σ² by at most 0.23·ε·λ_max,
 * seventeen times inside the bound.
 */
final class SingularValueBounds {

    /** The constant c in front of ε in every bound. */
    static final double ERROR_CONSTANT = 4.0;

    private static final double EPSILON = Math.ulp(1.0);

    private SingularValueBounds() {
    }

    /** c·ε·λ_max: the absolute error of every Gram eigenvalue, and the size of its off-diagonal residual. */
    static double gramEigenvalueError(double largestEigenvalue) {
        return ERROR_CONSTANT * EPSILON * largestEigenvalue;
    }

    /**
     * σ = √λ from the Gram matrix: Weyl's inequality (Golub &amp; Van Loan, <i>Matrix
     * Computations</i>, 4th ed., §8.1.2) moves λ by at most c·ε·λ_max, so σ moves by
     * c·ε·λ_max/(2λ) relative; +∞ for λ ≤ 0, where σ is not resolved at all.
     */
    static double gram(double eigenvalue, double largestEigenvalue) {
        if (eigenvalue <= 0.0) {
            return Double.POSITIVE_INFINITY;
        }
        return gramEigenvalueError(largestEigenvalue) / (2.0 * eigenvalue);
    }

    /**
     * A backward-stable SVD moves every σ by at most c·ε·σ_max (Golub &amp; Van Loan §8.6.1), i.e.
     * c·ε·σ_max/σ_i relative; 0 for an all-zero matrix (exact), +∞ for a zero σ of a nonzero one.
     */
    static double[] direct(double[] descending) {
        double[] bounds = new double[descending.length];
        for (int i = 0; i < descending.length; i++) {
            bounds[i] = relativeTo(ERROR_CONSTANT * EPSILON * descending[0], descending[i]);
        }
        return bounds;
    }

    /**
     * The bound of a singular value σ recomputed from W projected onto the trailing Gram eigenvectors
     * Q (B = Qᵀ·W), given its bound {@code ownBound} as a singular value of B:
     * <ul>
     * <li>forming B adds c·ε·σ_max(W) absolutely;</li>
     * <li>in the basis [U_acc, Q] the exact Gram matrix is [A E; Eᵀ B·Bᵀ] with ‖E‖ at most
     *     {@code residual}: c·ε·λ_max (the eigensolver's backward error and the rounding of forming G)
     *     for vectors from a tridiagonal eigensolver, plus the measured residual for vectors from
     *     inverse iteration ({@link BandEigenvectors}). Dropping E moves an eigenvalue μ of
     *     B·Bᵀ by at most 2‖E‖²/(η + √(η² + 4‖E‖²)), η its distance to A's spectrum (C.-K. Li &amp;
     *     R.-C. Li, "A note on eigenvalues of perturbed Hermitian matrices", Linear Algebra Appl. 395
     *     (2005) 183–190) — quadratic in ‖E‖ wherever the accepted values lie clear above μ, which is
     *     why the small end is recovered to the accuracy of an SVD although G could not resolve it.</li>
     * </ul>
     *
     * @param smallestAccepted      the smallest accepted Gram eigenvalue (A's spectrum lies above
     *                              it, less its own error)
     * @param largestEigenvalue     λ_max = σ_max(W)²
     * @param residual              the bound on ‖E‖ ({@link GramEigenvalues#vectorResidual()})
     */
    static double deflated(double sigma, double ownBound, double smallestAccepted, double largestEigenvalue,
                           double residual) {
        if (sigma <= 0.0) {
            return Double.POSITIVE_INFINITY;
        }
        double gap = smallestAccepted - residual - sigma * sigma;
        double eigenvalueShift = gap > 0.0 ? 2.0 * residual * residual / (gap + Math.hypot(gap, 2.0 * residual))
                : residual;
        return ownBound + relativeTo(ERROR_CONSTANT * EPSILON * Math.sqrt(largestEigenvalue), sigma)
                + eigenvalueShift / (2.0 * sigma * sigma);
    }

    private static double relativeTo(double absolute, double value) {
        if (absolute == 0.0) {
            return 0.0;
        }
        return value > 0.0 ? absolute / value : Double.POSITIVE_INFINITY;
    }
}
