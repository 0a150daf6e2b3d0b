package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.Svd;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RankTruncationTest {

    /** U_k·diag(S_k)·V_kᵀ formed by EJML from the known factors. */
    private static DenseMatrix expectedTruncation(Svd svd, int k) {
        int rows = svd.u().rows();
        DenseMatrix us = DenseMatrix.zeros(rows, k);
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < k; l++) {
                us.set(i, l, svd.u().get(i, l) * svd.s()[l]);
            }
        }
        DenseMatrix vtk = new DenseMatrix(k, svd.vt().cols(), Arrays.copyOf(svd.vt().data(), k * svd.vt().cols()));
        return TestMatrices.product(us, vtk);
    }

    @Test
    void reconstructionEqualsTheTruncatedProduct() {
        int[][] shapes = {{37, 53}, {70, 13}, {64, 64}, {9, 300}};
        long seed = 11;
        for (int[] shape : shapes) {
            int m = Math.min(shape[0], shape[1]);
            TestMatrices.Known known = TestMatrices.withSingularValues(shape[0], shape[1],
                    TestMatrices.geometric(m, 5, 0.9), seed++);
            for (int k : new int[] {0, 1, m / 3, m}) {
                DenseMatrix wk = RankTruncation.reconstruct(known.svd(), k);
                assertEquals(0, TestMatrices.maxAbsDifference(expectedTruncation(known.svd(), k), wk), 1e-13,
                        Arrays.toString(shape) + " k=" + k);
            }
            assertEquals(0, TestMatrices.maxAbsDifference(known.w(), RankTruncation.reconstruct(known.svd(), m)),
                    1e-13, "full rank gives W back");
        }
    }

    @Test
    void factorsMultiplyToTheTruncationAndShareTheScale() {
        TestMatrices.Known known = TestMatrices.withSingularValues(40, 25, TestMatrices.geometric(25, 9, 0.8), 5);
        LowRankFactors factors = RankTruncation.factor(known.svd(), 7);
        assertEquals(7, factors.rank());
        assertEquals(40, factors.a().rows());
        assertEquals(25, factors.b().cols());
        DenseMatrix wk = expectedTruncation(known.svd(), 7);
        assertEquals(0, TestMatrices.maxAbsDifference(wk, TestMatrices.product(factors.a(), factors.b())), 1e-13);
        assertEquals(0, TestMatrices.maxAbsDifference(wk, factors.product()), 1e-13);
        for (int l = 0; l < 7; l++) {
            double columnNorm = 0;
            double rowNorm = 0;
            for (int i = 0; i < 40; i++) {
                columnNorm += factors.a().get(i, l) * factors.a().get(i, l);
            }
            for (int j = 0; j < 25; j++) {
                rowNorm += factors.b().get(l, j) * factors.b().get(l, j);
            }
            assertEquals(known.svd().s()[l], columnNorm, 1e-12, "|A e_l|^2 = S_l");
            assertEquals(known.svd().s()[l], rowNorm, 1e-12, "|B^T e_l|^2 = S_l");
        }
        LowRankFactors none = RankTruncation.factor(known.svd(), 0);
        assertEquals(DenseMatrix.zeros(40, 25), none.product());
    }

    @Test
    void factorSignsFollowSvdFlipOnU() {
        TestMatrices.Known known = TestMatrices.withSingularValues(30, 20, TestMatrices.geometric(20, 5, 0.7), 11);
        DenseMatrix u = known.svd().u();
        double[] negated = u.data().clone();
        for (int i = 0; i < 30; i++) {
            negated[i * u.cols() + 2] = -negated[i * u.cols() + 2];
        }
        DenseMatrix vt = known.svd().vt();
        double[] vtNegated = vt.data().clone();
        for (int j = 0; j < 20; j++) {
            vtNegated[2 * vt.cols() + j] = -vtNegated[2 * vt.cols() + j];
        }
        Svd flipped = new Svd(new DenseMatrix(30, u.cols(), negated), known.svd().s(),
                new DenseMatrix(vt.rows(), 20, vtNegated));
        LowRankFactors a = RankTruncation.factor(known.svd(), 5);
        LowRankFactors b = RankTruncation.factor(flipped, 5);
        assertEquals(a.a(), b.a(), "the same factors whatever sign the SVD returned");
        assertEquals(a.b(), b.b());
        for (int l = 0; l < 5; l++) {
            int at = 0;
            for (int i = 1; i < 30; i++) {
                if (Math.abs(a.a().get(i, l)) > Math.abs(a.a().get(at, l))) {
                    at = i;
                }
            }
            assertTrue(a.a().get(at, l) > 0, "column " + l + ": its entry of largest magnitude is positive");
        }
    }

    @Test
    void rankBeyondTheTripletsHeldIsRejected() {
        TestMatrices.Known known = TestMatrices.withSingularValues(6, 4, new double[] {3, 2}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankTruncation.reconstruct(known.svd(), 3));
        assertTrue(e.getMessage().contains("rank 3 outside [0, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RankTruncation.factor(known.svd(), -1));
        assertThrows(IllegalArgumentException.class,
                () -> new LowRankFactors(DenseMatrix.zeros(3, 2), DenseMatrix.zeros(3, 4)));
    }
}
