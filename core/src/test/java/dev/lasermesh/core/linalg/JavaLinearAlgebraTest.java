package dev.lasermesh.core.linalg;

/** The contract on the pure-Java backend, with two kernel threads so the parallel paths run too. */
class JavaLinearAlgebraTest extends LinearAlgebraContractTest {

    private static final LinearAlgebra BACKEND = new JavaLinearAlgebra(2);

    @Override
    protected LinearAlgebra backend() {
        return BACKEND;
    }
}
