package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API kernels against plain triple loops, on shapes that hit full 4×4 tiles, edge tiles,
 * vector tails and several depth panels and column blocks, with one and three threads.
 */
class VectorKernelsTest {

    @ParameterizedTest
    @CsvSource({"1,1,1", "3,5,1", "4,8,1", "7,9,3", "67,300,3", "130,1030,1", "130,1030,3", "200,64,3"})
    void gramEqualsRowInnerProducts(int rows, int cols, int threads) {
        DenseMatrix w = random(rows, cols, rows * 31L + cols);

        double[] g = new VectorKernels(threads).gram(w);

        assertEqualsTripleLoop(w, w.transpose(), new DenseMatrix(rows, rows, g), "G");
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,1", "5,7,3,1", "9,130,131,3", "4,16,8,3", "13,200,300,3"})
    void productEqualsTripleLoop(int rows, int inner, int cols, int threads) {
        DenseMatrix x = random(rows, inner, 7L * rows + inner);
        DenseMatrix y = random(inner, cols, 11L * inner + cols);

        DenseMatrix c = new VectorKernels(threads).multiply(x, y);

        assertEqualsTripleLoop(x, y, c, "C");
    }

    @ParameterizedTest
    @CsvSource({"3,4,5,6"})
    void productOfMismatchedShapesIsRejected(int rows, int inner, int otherInner, int cols) {
        VectorKernels kernels = new VectorKernels(1);
        assertThrows(IllegalArgumentException.class,
                () -> kernels.multiply(DenseMatrix.zeros(rows, inner), DenseMatrix.zeros(otherInner, cols)));
    }

    /** Every entry of {@code actual} within 1e-14·Σ|x_il·y_lj| of the plain inner product Σ x_il·y_lj. */
    private static void assertEqualsTripleLoop(DenseMatrix x, DenseMatrix y, DenseMatrix actual, String name) {
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < y.cols(); j++) {
                double expected = 0;
                double scale = 0;
                for (int l = 0; l < x.cols(); l++) {
                    expected += x.get(i, l) * y.get(l, j);
                    scale += Math.abs(x.get(i, l) * y.get(l, j));
                }
                assertEquals(expected, actual.get(i, j), 1e-14 * scale, name + "(" + i + ", " + j + ")");
            }
        }
    }

    private static DenseMatrix random(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DenseMatrix m = DenseMatrix.zeros(rows, cols);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = random.nextDouble(-1, 1);
        }
        return m;
    }
}
