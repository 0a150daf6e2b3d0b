package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocked kernel against a plain triple loop, on shapes that hit every edge of the blocking. */
class MatrixProductTest {

    @Test
    void matchesTheDefinitionOnRaggedShapes() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 16, 256}, {37, 53, 19}, {70, 13, 2}, {5, 300, 1},
                {130, 1100, 300}, {65, 17, 513}};
        long seed = 1;
        for (int[] shape : shapes) {
            DenseMatrix left = TestMatrices.gaussian(shape[0], shape[2], seed++);
            DenseMatrix right = TestMatrices.gaussian(shape[2], shape[1], seed++);
            double[] scale = new Random(seed++).doubles(shape[2], -2, 2).toArray();
            assertClose(naive(left, scale, right, shape[2]), MatrixProduct.multiply(left, scale, right, shape[2]));
            assertClose(naive(left, null, right, shape[2]), MatrixProduct.multiply(left, null, right, shape[2]));
        }
    }

    /** What lets the mesh's assembly stream a product: rows of L give the same rows of C, bit for bit. */
    @Test
    void aBlockOfRowsOfTheLeftGivesThoseRowsOfTheProductExactly() {
        DenseMatrix left = TestMatrices.gaussian(301, 300, 11);
        DenseMatrix right = TestMatrices.gaussian(300, 1100, 12);
        double[] whole = MatrixProduct.multiply(left, null, right, 300).data();
        for (int first = 0; first < 301; first += 67) {
            int count = Math.min(67, 301 - first);
            DenseMatrix rows = new DenseMatrix(count, 300, Arrays.copyOfRange(left.data(), first * 300,
                    (first + count) * 300));
            assertArrayEquals(Arrays.copyOfRange(whole, first * 1100, (first + count) * 1100),
                    MatrixProduct.multiply(rows, null, right, 300).data(), "rows from " + first);
        }
    }

    @Test
    void usesOnlyTheLeadingInnerIndices() {
        DenseMatrix left = TestMatrices.gaussian(9, 12, 7);
        DenseMatrix right = TestMatrices.gaussian(10, 11, 8);
        assertClose(naive(left, null, right, 6), MatrixProduct.multiply(left, null, right, 6));
        DenseMatrix empty = MatrixProduct.multiply(left, null, right, 0);
        assertEquals(DenseMatrix.zeros(9, 11), empty);
    }

    @Test
    void rejectsADepthTheOperandsDoNotHave() {
        DenseMatrix left = TestMatrices.gaussian(3, 4, 1);
        DenseMatrix right = TestMatrices.gaussian(5, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> MatrixProduct.multiply(left, null, right, 5));
        assertThrows(IllegalArgumentException.class, () -> MatrixProduct.multiply(left, new double[2], right, 3));
    }

    private static DenseMatrix naive(DenseMatrix left, double[] scale, DenseMatrix right, int depth) {
        DenseMatrix c = DenseMatrix.zeros(left.rows(), right.cols());
        for (int i = 0; i < left.rows(); i++) {
            for (int j = 0; j < right.cols(); j++) {
                double sum = 0;
                for (int l = 0; l < depth; l++) {
                    sum += left.get(i, l) * (scale == null ? 1 : scale[l]) * right.get(l, j);
                }
                c.set(i, j, sum);
            }
        }
        return c;
    }

    /** A wrong index gives errors of order 1; reordered float64 sums differ by far less than 1e-12. */
    private static void assertClose(DenseMatrix expected, DenseMatrix actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        assertEquals(0, TestMatrices.maxAbsDifference(expected, actual), 1e-12, expected.toString());
    }
}
