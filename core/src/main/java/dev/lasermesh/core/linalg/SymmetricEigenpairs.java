package dev.lasermesh.core.linalg;

/**
 * Leading eigenpairs of a symmetric matrix.
 *
 * @param values       eigenvalues, descending
 * @param vectorsAsRows one orthonormal eigenvector per row, in the order of {@code values}
 */
record SymmetricEigenpairs(double[] values, DenseMatrix vectorsAsRows) {

    SymmetricEigenpairs {
        if (vectorsAsRows.rows() != values.length) {
            throw new IllegalArgumentException(values.length + " eigenvalues but " + vectorsAsRows.rows()
                    + " eigenvectors");
        }
    }
}
