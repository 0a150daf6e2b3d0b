package dev.lasermesh.core.linalg;

/**
 * The native backend: OpenBLAS 0.3.31 (BLAS + LAPACK) loaded from the bytedeco jars, driven by the
 * shared rule of {@link SvdMethodChooser}: Gram products by {@code cblas_dsyrk}, Gram eigenvalues by
 * LAPACK's two-stage tridiagonal reduction and {@code dsterf} ({@link OpenBlasKernels#gramEigenvalues}),
 * leading eigenvectors by {@code LAPACKE_dsyevr} over an index range, SVDs by {@code LAPACKE_dgesdd}
 * (divide and conquer).
 */
public final class OpenBlasLinearAlgebra extends KernelLinearAlgebra {

    /**
     * @param threads OpenBLAS threads per call (process-wide setting, applied before every call)
     * @throws LinkageError when the native libraries cannot be loaded on this platform
     */
    public OpenBlasLinearAlgebra(int threads) {
        super(new OpenBlasKernels(threads));
    }

    @Override
    public String name() {
        return "openblas";
    }
}
