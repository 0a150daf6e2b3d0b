package dev.lasermesh.core.linalg;

/**
 * The pure-Java backend, used where the native library cannot load: EJML decompositions plus the
 * Vector API kernels of {@link VectorKernels}, driven by the same rule ({@link SvdMethodChooser})
 * as the native backend.
 */
public final class JavaLinearAlgebra extends KernelLinearAlgebra {

    /**
     * @param threads threads for the Gram and product kernels (the tridiagonal reduction and EJML's
     *                decompositions run on one)
     */
    public JavaLinearAlgebra(int threads) {
        super(new JavaKernels(threads));
    }

    @Override
    public String name() {
        return "java";
    }
}
