package dev.lasermesh.core.linalg;

/**
 * The pure-Java backend, used where the native library cannot load: EJML decompositions plus the
 * Vector API kernels of {@link VectorKernels}, driven by the same rule ({@link SvdMethodChooser})
 * as the native backend.
 */
public final class JavaLinearAlgebra extends KernelLinearAlgebra {

    private final int threads;

    /** @param threads threads for the Gram and product kernels (EJML's decompositions run on one) */
    public JavaLinearAlgebra(int threads) {
        this(new JavaKernels(threads));
    }

    private JavaLinearAlgebra(JavaKernels kernels) {
        super(kernels);
        this.threads = kernels.threads();
    }

    /** The kernel thread count this instance uses. */
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "java";
    }
}
