package dev.lasermesh.core.linalg;

/** The contract on the native backend (one OpenBLAS thread, as the build's surefire sets). */
class OpenBlasLinearAlgebraTest extends LinearAlgebraContractTest {

    private static final LinearAlgebra BACKEND = new OpenBlasLinearAlgebra(1);

    @Override
    protected LinearAlgebra backend() {
        return BACKEND;
    }
}
