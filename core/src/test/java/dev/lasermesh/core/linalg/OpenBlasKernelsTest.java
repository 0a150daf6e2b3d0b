package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.bench.HeavyTailedSpectrum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trailing Gram eigenvectors of the native kernels on both of their paths — inverse iteration on
 * the two-stage band for a few vectors, the one-stage reduction for many — checked on G itself
 * (formed here in plain Java): orthonormal, belonging to the m smallest eigenvalues, and coupled to
 * the rest of G by no more than the residual the kernels report, which the deflated bounds use.
 */
class OpenBlasKernelsTest {

    private static final int P = 300;
    private static final KnownSpectrum KNOWN = KnownSpectrum.of("head+tail cond 1e6", P, 700,
            HeavyTailedSpectrum.powerLawWithTail(P, 20, 1e6), 11);

    @ParameterizedTest(name = "m = {0}")
    @ValueSource(ints = {12, 150})
    void trailingVectorsAreOrthonormalAndCoupledNoMoreThanReported(int m) {
        assertEquals(m == 12, OpenBlasKernels.bandVectorsPay(m, P, TwoStageReduction.bandwidth(P)),
                "the two values of m exercise the two paths");
        GramEigenvalues result = new OpenBlasKernels(1).gramEigenvalues(KNOWN.matrix(), values -> m);
        DenseMatrix q = result.trailingVectorsAsRows();
        assertEquals(m, q.rows());
        double[] g = gram(KNOWN.matrix());
        double largest = result.ascending()[P - 1];
        assertEquals(m == 12, result.vectorResidual() > SingularValueBounds.gramEigenvalueError(largest),
                "only inverse iteration adds a measured residual to c·ε·λ_max (so the band path really ran)");

        double[] gq = new double[m * P];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < P; i++) {
                double sum = 0.0;
                for (int k = 0; k < P; k++) {
                    sum += g[i * P + k] * q.get(j, k);
                }
                gq[j * P + i] = sum;
            }
        }
        double[] projected = new double[m * m];
        for (int j = 0; j < m; j++) {
            for (int l = 0; l < m; l++) {
                double dot = 0.0;
                double gram = 0.0;
                for (int i = 0; i < P; i++) {
                    dot += q.get(j, i) * q.get(l, i);
                    gram += q.get(l, i) * gq[j * P + i];
                }
                assertEquals(j == l ? 1.0 : 0.0, dot, 1e-12, "QᵀQ at (" + j + ", " + l + ")");
                projected[l * m + j] = gram;
            }
            assertEquals(result.ascending()[j], projected[j * m + j], result.vectorResidual(),
                    "Rayleigh quotient of vector " + j);
        }
        double[] coupling = new double[P * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < P; i++) {
                double sum = gq[j * P + i];
                for (int l = 0; l < m; l++) {
                    sum -= q.get(l, i) * projected[l * m + j];
                }
                coupling[i * m + j] = sum;
            }
        }
        double norm = new OpenBlasKernels(1).svdValues(new DenseMatrix(P, m, coupling))[0];
        assertTrue(norm <= result.vectorResidual(), "‖G·Q − Q·QᵀGQ‖ = " + norm + " > reported "
                + result.vectorResidual() + " (" + result.vectorResidual() / (Math.ulp(1.0) * largest) + " ε·λ_max)");
    }

    private static double[] gram(DenseMatrix a) {
        double[] g = new double[P * P];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < P; j++) {
                double sum = 0.0;
                for (int k = 0; k < a.cols(); k++) {
                    sum += a.get(i, k) * a.get(j, k);
                }
                g[i * P + j] = sum;
            }
        }
        return g;
    }
}
