package dev.lasermesh.core.linalg;

/**
 * A (possibly truncated) singular value decomposition A ≈ U·diag(s)·Vᵀ.
 *
 * @param u  rows(A) × k, orthonormal columns
 * @param s  k singular values, descending
 * @param vt k × cols(A), orthonormal rows
 */
public record Svd(DenseMatrix u, double[] s, DenseMatrix vt) {

    public Svd {
        if (u.cols() != s.length || vt.rows() != s.length) {
            throw new IllegalArgumentException("inconsistent SVD factors: U " + u + ", " + s.length
                    + " values, Vt " + vt);
        }
    }

    /** Number of singular triplets held. */
    public int rank() {
        return s.length;
    }
}
