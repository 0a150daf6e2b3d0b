package dev.lasermesh.core.linalg;

/**
 * How a backend obtained singular values; reports record it next to every spectrum. The rule that
 * picks one is {@link SvdMethodChooser}.
 */
public enum SvdMethod {

    /**
     * Eigenvalues of the Gram matrix of the smaller side (A·Aᵀ or Aᵀ·A), σ = √λ. Two to five times
     * faster than an SVD for large matrices, but it squares the condition number, so it is only
     * used where the computed spectrum shows that this costs no accuracy that matters.
     */
    GRAM_EIGENVALUES,

    /**
     * Gram eigenvalues for the values they resolve, and the small end recomputed from W projected
     * onto the trailing Gram eigenvectors (see {@link SvdMethodChooser}): as accurate as an SVD,
     * at a fraction of its cost when few values are small.
     */
    DEFLATED_GRAM,

    /** A direct SVD of A itself (LAPACK divide and conquer, or EJML's implicit QR): full accuracy. */
    DIRECT_SVD;

    /** The name reports use, e.g. {@code gram-eigenvalues}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
