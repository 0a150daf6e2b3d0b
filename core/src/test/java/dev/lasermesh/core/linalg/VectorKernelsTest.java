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

        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double expected = 0;
                double scale = 0;
                for (int k = 0; k < cols; k++) {
                    expected += w.get(i, k) * w.get(j, k);
                    scale += Math.abs(w.get(i, k) * w.get(j, k));
                }
                assertEquals(expected, g[i * rows + j], 1e-14 * scale, "G(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1,1", "5,7,3,1", "9,130,131,3", "4,16,8,3", "13,200,300,3"})
    void productEqualsTripleLoop(int rows, int inner, int cols, int threads) {
        DenseMatrix x = random(rows, inner, 7L * rows + inner);
        DenseMatrix y = random(inner, cols, 11L * inner + cols);

        DenseMatrix c = new VectorKernels(threads).multiply(x, y);

        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double expected = 0;
                double scale = 0;
                for (int l = 0; l < inner; l++) {
                    expected += x.get(i, l) * y.get(l, j);
                    scale += Math.abs(x.get(i, l) * y.get(l, j));
                }
                assertEquals(expected, c.get(i, j), 1e-14 * scale, "C(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"3,4,5,6"})
    void productOfMismatchedShapesIsRejected(int rows, int inner, int otherInner, int cols) {
        VectorKernels kernels = new VectorKernels(1);
        assertThrows(IllegalArgumentException.class,
                () -> kernels.multiply(DenseMatrix.zeros(rows, inner), DenseMatrix.zeros(otherInner, cols)));
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
