package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.DoublePointer;
import org.junit.jupiter.api.Test;

/**
 * {@link BandEigenvectors} on the 1-D Laplacian (2 on the diagonal, −1 beside it; stored with
 * half-width 2, the outer diagonal zero), whose eigenpairs are known in closed form: λ_k = 2 −
 * 2·cos(kπ/(n+1)), v_k(i) ∝ sin(ikπ/(n+1)). Its smallest eigenvalues grow only as k², so block
 * inverse iteration does not converge in its few steps and the per-eigenvalue path has to deliver.
 */
class BandEigenvectorsTest {

    private static final int N = 200;
    private static final int KD = 2;
    private static final int M = 4;
    private static final double ERROR = SingularValueBounds.gramEigenvalueError(4.0);

    @Test
    void slowlyGrowingSmallEigenvaluesAreResolvedOneByOne() {
        double[] ascending = new double[M];
        for (int k = 1; k <= M; k++) {
            ascending[k - 1] = 2.0 - 2.0 * Math.cos(k * Math.PI / (N + 1));
        }
        try (DoublePointer band = laplacian()) {
            assertTrue(BandEigenvectors.blockInverseIteration(band, N, KD, M, ERROR)
                    .map(r -> r.residual() > ERROR).orElse(true), "block iteration should not converge here");

            BandEigenvectors.Result result = BandEigenvectors.compute(band, N, KD, ascending, ERROR).orElseThrow();

            assertTrue(result.residual() <= ERROR, "residual " + result.residual());
            for (int k = 1; k <= M; k++) {
                double[] exact = new double[N];
                double norm = 0.0;
                for (int i = 0; i < N; i++) {
                    exact[i] = Math.sin((i + 1) * k * Math.PI / (N + 1));
                    norm += exact[i] * exact[i];
                }
                double dot = 0.0;
                for (int i = 0; i < N; i++) {
                    dot += exact[i] / Math.sqrt(norm) * result.vectorsAsRows()[(k - 1) * N + i];
                }
                assertEquals(1.0, Math.abs(dot), 1e-10, "vector " + k);
                assertEquals(ascending[k - 1], result.rayleighQuotients()[k - 1], 1e-14, "Rayleigh quotient " + k);
            }
        }
    }

    private static DoublePointer laplacian() {
        double[] lower = new double[(KD + 1) * N];
        for (int j = 0; j < N; j++) {
            lower[j * (KD + 1)] = 2.0;
            if (j + 1 < N) {
                lower[j * (KD + 1) + 1] = -1.0;
            }
        }
        return new DoublePointer(lower);
    }
}
