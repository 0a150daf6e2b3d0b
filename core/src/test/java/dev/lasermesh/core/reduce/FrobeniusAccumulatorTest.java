package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Norms summed block of rows by block of rows equal the whole-matrix norms bit for bit (the mesh's
 * assembly reports the standalone's numbers from streamed blocks), and the whole-matrix norms are
 * checked against a plain sum.
 */
class FrobeniusAccumulatorTest {

    @Test
    void blocksOfRowsGiveTheWholeMatricesNormsExactly() {
        DenseMatrix exact = TestMatrices.gaussian(157, 93, 1);
        DenseMatrix approx = TestMatrices.gaussian(157, 93, 2);
        for (int block : new int[] {1, 7, 64, 157}) {
            FrobeniusAccumulator sums = new FrobeniusAccumulator();
            for (int first = 0; first < 157; first += block) {
                int count = Math.min(block, 157 - first);
                sums.add(rows(exact, first, count), rows(approx, first, count));
            }
            assertEquals(Double.doubleToLongBits(FrobeniusDistance.norm(exact)), Double.doubleToLongBits(sums.norm()),
                    "norm in blocks of " + block);
            assertEquals(Double.doubleToLongBits(FrobeniusDistance.between(exact, approx)),
                    Double.doubleToLongBits(sums.distance()), "distance in blocks of " + block);
        }
        double squares = 0;
        double differences = 0;
        for (int i = 0; i < exact.data().length; i++) {
            squares += exact.data()[i] * exact.data()[i];
            double d = exact.data()[i] - approx.data()[i];
            differences += d * d;
        }
        assertEquals(Math.sqrt(squares), FrobeniusDistance.norm(exact), 1e-12 * Math.sqrt(squares));
        assertEquals(Math.sqrt(differences), FrobeniusDistance.between(exact, approx), 1e-12 * Math.sqrt(differences));
    }

    private static DenseMatrix rows(DenseMatrix m, int first, int count) {
        return new DenseMatrix(count, m.cols(), Arrays.copyOfRange(m.data(), first * m.cols(),
                (first + count) * m.cols()));
    }
}
