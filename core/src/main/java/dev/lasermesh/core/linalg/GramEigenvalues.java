package dev.lasermesh.core.linalg;

/**
 * Eigenvalues of a Gram matrix and the eigenvectors of its smallest ones, from one
 * tridiagonalisation: what the deflated Gram route of {@link KernelLinearAlgebra} needs.
 *
 * @param ascending             all p eigenvalues, ascending
 * @param trailingVectorsAsRows the orthonormal eigenvectors of the m smallest eigenvalues, one per
 *                              row (m×p, ascending order); m = 0 when none were asked for
 */
record GramEigenvalues(double[] ascending, DenseMatrix trailingVectorsAsRows) {

    GramEigenvalues {
        if (trailingVectorsAsRows.rows() > 0 && trailingVectorsAsRows.cols() != ascending.length) {
            throw new IllegalArgumentException(ascending.length + " eigenvalues but eigenvectors of length "
                    + trailingVectorsAsRows.cols());
        }
    }
}
