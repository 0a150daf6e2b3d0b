package dev.lasermesh.core.linalg;

import java.util.function.ToIntFunction;

/**
 * The primitive dense operations a backend supplies; {@link KernelLinearAlgebra} composes them
 * into singular values and top-k triplets with the shared {@link SvdMethodChooser} rule, so the
 * algorithms exist once and backends differ only here.
 */
interface DenseKernels {

    /** The threads one kernel call may use. */
    int threads();

    /**
     * Eigenvalues, ascending, of the Gram matrix of the smaller side of {@code a} (A·Aᵀ or Aᵀ·A), and
     * the eigenvectors of the m smallest, where m = {@code trailingVectors} applied to those
     * eigenvalues (0 for none); both from one reduction of G, the vectors with a bound on their residual.
     */
    GramEigenvalues gramEigenvalues(DenseMatrix a, ToIntFunction<double[]> trailingVectors);

    /** All min(rows, cols) singular values of {@code a} by a direct SVD, descending. */
    double[] svdValues(DenseMatrix a);

    /**
     * The k largest eigenpairs of W·Wᵀ for a wide matrix (rows ≤ cols): eigenvalues descending and
     * the matching orthonormal eigenvectors as the rows of a k×rows matrix.
     */
    SymmetricEigenpairs largestGramEigenpairs(DenseMatrix wide, int k);

    /**
     * The thin SVD of {@code a}: U rows×p, p singular values descending, Vᵀ p×cols, with
     * p = min(rows, cols).
     */
    Svd thinSvd(DenseMatrix a);

    /** The product x·y. */
    DenseMatrix multiply(DenseMatrix x, DenseMatrix y);
}
