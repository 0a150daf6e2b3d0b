package dev.lasermesh.core.linalg;

/**
 * The one rule, shared by every backend, that decides between the Gram route and a direct SVD.
 *
 * <h2>Why the Gram route needs a rule</h2>
 * For A with p = min(rows, cols) ≤ q = max(rows, cols), the Gram matrix G of the smaller side (p×p)
 * has eigenvalues λ_i = σ_i². Forming G is one BLAS-3 product (p²q flops) and its eigenvalues cost
 * 4p³/3 more, against roughly 4p²q for the bidiagonalisation inside an SVD. NumPy's OpenBLAS on
 * one thread took 1.0 s against 4.0 s at 2048×5632 and 0.8 s against 2.2 s at 2048×2048 (Gram +
 * eigvalsh against svd). But G squares the condition number. The rounding errors of forming G and of a backward-stable symmetric
 * eigensolver perturb every eigenvalue by about ε·‖G‖ = ε·σ_max² (Weyl's inequality, Golub &amp;
 * Van Loan, <i>Matrix Computations</i>, 4th ed., §8.1; rounding of inner products, Higham,
 * <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §3.1), so σ_i = √λ_i carries a
 * relative error of about (ε/2)·(σ_max/σ_i)², with ε = 2.2e-16. An SVD of A itself has absolute
 * error about ε·σ_max instead.
 *
 * <h2>The rule</h2>
 * <ol>
 * <li>If p ≤ {@value #DIRECT_MAX_DIMENSION}, use the direct SVD: it takes a few milliseconds there,
 *     so there is nothing to gain and no reason to risk accuracy.</li>
 * <li>Otherwise compute the Gram eigenvalues and accept them only if
 *     λ_min ≥ λ_max / {@value #MAX_GRAM_CONDITION}², i.e. cond(A) ≤ {@value #MAX_GRAM_CONDITION}.
 *     Then the relative error of every singular value is at most about
 *     (ε/2)·300² = 1e-11, ten times inside the required 1e-10 for σ ≥ 1e-3·σ_max, and the
 *     condition number itself is far more accurate than the 1e-6 a report needs. (Measured: the
 *     bound is pessimistic by about ten; at cond = 1000 the largest error was 8e-12.) The test is
 *     reliable because the computed λ_min is off by only about ε·λ_max, five orders of magnitude
 *     below the threshold.</li>
 * <li>If the test fails, compute a direct SVD of A. The Gram work is then wasted: a quarter to a
 *     third of the SVD's cost on top of it. A cheaper a-priori test was measured and rejected: a Cholesky
 *     factorisation of G − δI certifies λ_min &gt; δ but costs 18% of the Gram route at 2048×5632,
 *     which every well-conditioned matrix would pay to save part of the waste on ill-conditioned
 *     ones.</li>
 * </ol>
 *
 * <h2>Top-k triplets</h2>
 * For 1 ≤ k ≤ p/{@value #TOP_K_GRAM_FRACTION_DENOMINATOR} (and p above the direct limit) the backends
 * take the k leading eigenvectors of G and finish with a Rayleigh–Ritz step (see
 * {@link KernelLinearAlgebra}); the same condition applies to the kept part of the spectrum,
 * λ_k ≥ λ_1 / {@value #MAX_GRAM_CONDITION}² (and λ_k &gt; 0), because directions with smaller
 * eigenvalues are not resolved by G. Larger k, or a failed test, use a thin direct SVD: beyond p/4
 * the eigenvector and projection work approaches the cost of the SVD anyway.
 */
final class SvdMethodChooser {

    /** Up to this min(rows, cols) the direct SVD is used (about 3 ms at 128×512 single-threaded). */
    static final int DIRECT_MAX_DIMENSION = 128;

    /** Largest cond(A) = σ_max/σ_min for which Gram eigenvalues are accepted. */
    static final double MAX_GRAM_CONDITION = 300.0;

    /** The Gram route serves top-k requests with k ≤ p / this. */
    static final int TOP_K_GRAM_FRACTION_DENOMINATOR = 4;

    private SvdMethodChooser() {
    }

    /** Whether computing all singular values of a rows×cols matrix should try the Gram route first. */
    static boolean tryGramForValues(int rows, int cols) {
        return Math.min(rows, cols) > DIRECT_MAX_DIMENSION;
    }

    /** Whether k leading triplets of a rows×cols matrix should try the Gram eigenvector route first. */
    static boolean tryGramForTopK(int rows, int cols, int k) {
        int p = Math.min(rows, cols);
        return p > DIRECT_MAX_DIMENSION && k >= 1 && k <= p / TOP_K_GRAM_FRACTION_DENOMINATOR;
    }

    /**
     * Whether Gram eigenvalues down to {@code smallestUsed} resolve the spectrum accurately, given
     * the largest eigenvalue: smallestUsed ≥ largest / {@value #MAX_GRAM_CONDITION}² and both
     * positive.
     */
    static boolean gramAccurate(double smallestUsed, double largest) {
        return largest > 0.0 && smallestUsed > 0.0
                && smallestUsed >= largest / (MAX_GRAM_CONDITION * MAX_GRAM_CONDITION);
    }
}
