package dev.lasermesh.core.linalg;

/**
 * Eigenvalues of a Gram matrix and the eigenvectors of its smallest ones, from one reduction: what
 * the deflated Gram route of {@link KernelLinearAlgebra} needs.
 *
 * @param ascending             all p eigenvalues, ascending
 * @param trailingVectorsAsRows the orthonormal eigenvectors of the m smallest eigenvalues, one per
 *                              row (m×p, ascending order); m = 0 when none were asked for
 * @param vectorResidual        a bound on ‖G·Q − Q·(QᵀGQ)‖ for Q = trailingVectorsAsRowsᵀ, the
 *                              coupling the deflated route drops (0 when m = 0)
 */
record GramEigenvalues(double[] ascending, DenseMatrix trailingVectorsAsRows, double vectorResidual) {

    GramEigenvalues {
        if (trailingVectorsAsRows.rows() > 0 && trailingVectorsAsRows.cols() != ascending.length) {
            throw new IllegalArgumentException(ascending.length + " eigenvalues but eigenvectors of length "
                    + trailingVectorsAsRows.cols());
        }
    }

    /** Eigenvalues alone (no vectors were asked for). */
    static GramEigenvalues valuesOnly(double[] ascending) {
        return new GramEigenvalues(ascending, DenseMatrix.zeros(0, ascending.length), 0.0);
    }
}
