package dev.lasermesh.core.linalg;

/**
 * The dense linear algebra Lasermesh needs for spectra and truncation, behind one interface so a
 * native (OpenBLAS/LAPACK) and a pure-Java backend are interchangeable and pass one contract test.
 */
public interface LinearAlgebra {

    /** Short backend name for reports and logs, e.g. {@code openblas} or {@code java}. */
    String name();

    /**
     * All min(rows, cols) singular values of {@code a}, descending, in double precision. The
     * backend chooses the method (Gram + symmetric eigenvalues, or an SVD) by shape and accuracy.
     */
    double[] singularValues(DenseMatrix a);

    /** As {@link #singularValues(DenseMatrix)}, also saying which method the backend chose. */
    SingularValues singularValuesWithMethod(DenseMatrix a);

    /**
     * The k leading singular triplets of {@code a}, 0 ≤ k ≤ min(rows, cols); k = 0 gives empty
     * factors (a rank-0 truncation, which threshold policies can choose). Backends avoid a full SVD
     * when k is small relative to min(rows, cols).
     */
    Svd topK(DenseMatrix a, int k);
}
