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
 * <h2>The rule: every singular value to 1e-9 relative, refining only the small end</h2>
 * The rank policies read the bulk (quartiles, medians, Marchenko–Pastur fits), the values near their
 * threshold, the SNR (sums over all values) and the condition number (σ_min), so every singular value
 * can change a decision or a reported number; each must be accurate to
 * {@value #REQUIRED_RELATIVE_ACCURACY} relative (or as accurate as an SVD makes it, for values so
 * small that even dgesdd cannot reach that). Each value carries its bound
 * ({@link SingularValueBounds}).
 * <ol>
 * <li>If p ≤ {@value #DIRECT_MAX_DIMENSION}, use the direct SVD: it takes a few milliseconds there,
 *     so there is nothing to gain and no reason to risk accuracy.</li>
 * <li>Otherwise compute the Gram eigenvalues and accept every σ_i whose bound c·ε·λ_max/(2λ_i) is
 *     at most {@value #REQUIRED_RELATIVE_ACCURACY}. With c = 4 that is every σ ≥ σ_max/1500, so a
 *     matrix with cond ≤ 1500 is done (the old rule stopped at cond 300 and sent everything else to
 *     dgesdd).</li>
 * <li>If m values are not accepted and m ≤ p/{@value #MAX_REFINED_FRACTION_DENOMINATOR}, deflate:
 *     take the m trailing eigenvectors Q (from the same reduction of G; see the backends), project
 *     B = Qᵀ·W (m×q, one BLAS-3 product) and compute B's singular values by this same rule,
 *     recursively; they replace the m unaccepted values, with the bound of
 *     {@link SingularValueBounds#deflated}. Real weight matrices have few such values (a square
 *     matrix's smallest singular values trail off towards zero; most of the spectrum sits in the bulk
 *     and above), so m is small and the refinement costs a fraction of the Gram work.</li>
 * <li>If more than half the values are unresolved (e.g. a steep power law over the whole spectrum),
 *     deflation would cost the Gram route twice over (2p²m for the eigenvectors, 2pmq for B, then
 *     B's own spectrum) and the direct SVD of A is used instead.</li>
 * </ol>
 *
 * <h2>Top-k triplets</h2>
 * For 1 ≤ k ≤ p/{@value #TOP_K_GRAM_FRACTION_DENOMINATOR} (and p above the direct limit) the backends
 * take the k leading eigenvectors of G and finish with a Rayleigh–Ritz step (see
 * {@link KernelLinearAlgebra}); the same condition applies to the kept part of the spectrum,
 * λ_k ≥ λ_1 / {@value #MAX_GRAM_CONDITION}² (and λ_k &gt; 0), because directions with smaller
 * eigenvalues are not resolved by G (the vectors, unlike the values, need a relative gap; this
 * conservative limit is kept for them). Larger k, or a failed test, use a thin direct SVD: beyond p/4
 * the eigenvector and projection work approaches the cost of the SVD anyway.
 */
final class SvdMethodChooser {

    /** Up to this min(rows, cols) the direct SVD is used (about 3 ms at 128×512 single-threaded). */
    static final int DIRECT_MAX_DIMENSION = 128;

    /** Relative accuracy every singular value must have (or the accuracy of an SVD, if that is worse). */
    static final double REQUIRED_RELATIVE_ACCURACY = 1e-9;

    /** Deflation is used while at most p / this values need refining. */
    static final int MAX_REFINED_FRACTION_DENOMINATOR = 2;

    /** Largest cond = σ_1/σ_k for which Gram eigenvectors serve a top-k request. */
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
     * How many of the smallest Gram eigenvalues (ascending) give singular values whose bound exceeds
     * {@value #REQUIRED_RELATIVE_ACCURACY}; they form a tail, since the bound falls as λ grows.
     */
    static int unresolvedCount(double[] ascending) {
        double largest = ascending[ascending.length - 1];
        int count = 0;
        while (count < ascending.length
                && SingularValueBounds.gram(ascending[count], largest) > REQUIRED_RELATIVE_ACCURACY) {
            count++;
        }
        return count;
    }

    /** Whether refining {@code unresolved} of p values by deflation beats a direct SVD (rule step 3–4). */
    static boolean deflationPays(int unresolved, int p) {
        return unresolved <= p / MAX_REFINED_FRACTION_DENOMINATOR;
    }

    /** The eigenvectors the route needs for these eigenvalues: the unresolved tail when deflation pays, else none. */
    static int trailingVectorsNeeded(double[] ascending) {
        int unresolved = unresolvedCount(ascending);
        return deflationPays(unresolved, ascending.length) ? unresolved : 0;
    }

    /**
     * Whether Gram eigenvectors down to {@code smallestUsed} resolve the spectrum accurately, given
     * the largest eigenvalue: smallestUsed ≥ largest / {@value #MAX_GRAM_CONDITION}² and both
     * positive.
     */
    static boolean gramVectorsAccurate(double smallestUsed, double largest) {
        return largest > 0.0 && smallestUsed > 0.0
                && smallestUsed >= largest / (MAX_GRAM_CONDITION * MAX_GRAM_CONDITION);
    }
}
