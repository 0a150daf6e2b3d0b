package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The own tridiagonalisation against exact spectra (diagonal matrices, which need no reflection;
 * Q·diag·Qᵀ with an exactly orthogonal Hadamard Q) to rounding, and against EJML's complete eigensolver on
 * random symmetric matrices of sizes around the vector length.
 */
class SymmetricEigenvaluesTest {

    @Test
    void diagonalMatrixHasItsDiagonalAsSpectrum() {
        double[] diagonal = {3, -1, 0, 7.5, 2, 2};
        int n = diagonal.length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = diagonal[i];
        }

        double[] expected = diagonal.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, SymmetricEigenvalues.ofUpperTriangle(a, n), 1e-15 * 7.5);
    }

    @Test
    void rotatedDiagonalKeepsItsSpectrum() {
        int n = 64;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i % 3 == 0 ? 0.0 : 1.0 + i * 0.25;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int r = 0; r < n; r++) {
                    sum += hadamard(i, r) * lambda[r] * hadamard(j, r);
                }
                a[i * n + j] = sum / n;
            }
        }

        double[] expected = lambda.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, SymmetricEigenvalues.ofUpperTriangle(a, n), 1e-13 * 16.75);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 9, 17, 130})
    void randomSymmetricMatricesMatchEjml(int n) {
        SplittableRandom random = new SplittableRandom(n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                a[i * n + j] = random.nextDouble(-1, 1);
                a[j * n + i] = a[i * n + j];
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.eig(n, false, true);
        ejml.decompose(DMatrixRMaj.wrap(n, n, a.clone()));
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = ejml.getEigenvalue(i).getReal();
        }
        Arrays.sort(expected);

        double[] actual = SymmetricEigenvalues.ofUpperTriangle(a, n);

        assertEquals(n, actual.length);
        assertArrayEquals(expected, actual, 1e-13 * n);
    }

    private static int hadamard(int row, int col) {
        return Integer.bitCount(row & col) % 2 == 0 ? 1 : -1;
    }
}
