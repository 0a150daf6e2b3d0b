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

    /** A direct SVD of A itself (LAPACK divide and conquer, or EJML's implicit QR): full accuracy. */
    DIRECT_SVD;

    /** The name reports use, e.g. {@code gram-eigenvalues}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
