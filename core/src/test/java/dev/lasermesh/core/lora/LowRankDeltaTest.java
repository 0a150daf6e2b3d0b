package dev.lasermesh.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.linalg.Svd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ΔW from its factors: the dense product, its SVD without an out×in SVD, and the subspace overlap on hand-made cases. */
class LowRankDeltaTest {

    private static final LinearAlgebra LA = LinearAlgebras.create();

    private static DenseMatrix random(Random random, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextGaussian();
        }
        return new DenseMatrix(rows, cols, d);
    }

    @Test
    void denseIsTheScaledProductAndTheFactoredSvdReproducesIt() {
        Random random = new Random(7);
        DenseMatrix b = random(random, 40, 5);
        DenseMatrix a = random(random, 5, 30);
        LowRankDelta delta = new LowRankDelta(b, a, 1.5);
        DenseMatrix dense = delta.dense();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 30; j++) {
                double sum = 0;
                for (int l = 0; l < 5; l++) {
                    sum += b.get(i, l) * a.get(l, j);
                }
                assertEquals(1.5 * sum, dense.get(i, j), 1e-12);
            }
        }
        DeltaSpectrum spectrum = delta.spectrum(LA);
        double[] expected = java.util.Arrays.copyOf(LA.singularValues(dense), 5);
        assertArrayEquals(expected, spectrum.singularValues(), 1e-12 * expected[0]);
        double[] s = spectrum.singularValues();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 30; j++) {
                double sum = 0;
                for (int l = 0; l < 5; l++) {
                    sum += spectrum.left().get(i, l) * s[l] * spectrum.right().get(j, l);
                }
                assertEquals(dense.get(i, j), sum, 1e-12);
            }
        }
    }

    @Test
    void aRankDeficientUpdateHasZeroSingularValuesAndStillOrthonormalVectors() {
        DenseMatrix b = new DenseMatrix(6, 2, new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        DenseMatrix a = new DenseMatrix(2, 4, new double[] {0, 2, 0, 0, 0, 0, 0, 0});
        DeltaSpectrum spectrum = new LowRankDelta(b, a, 1).spectrum(LA);
        assertArrayEquals(new double[] {2, 0}, spectrum.singularValues(), 1e-15);
        DenseMatrix u = spectrum.left();
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 2; q++) {
                double dot = 0;
                for (int i = 0; i < 6; i++) {
                    dot += u.get(i, p) * u.get(i, q);
                }
                assertEquals(p == q ? 1 : 0, dot, 1e-15);
            }
        }
    }

    @Test
    void anUpdateInsideTheKeptSubspaceHasFullEnergyAndZeroAnglesAndOneOutsideHasNone() {
        DenseMatrix w = DenseMatrix.zeros(5, 5);
        for (int i = 0; i < 5; i++) {
            w.set(i, i, 5 - i);
        }
        Svd kept = LA.topK(w, 2);
        DenseMatrix e0 = new DenseMatrix(5, 1, new double[] {1, 0, 0, 0, 0});
        DenseMatrix e1Row = new DenseMatrix(1, 5, new double[] {0, 1, 0, 0, 0});
        SubspaceOverlap inside = SubspaceOverlap.of(kept, new LowRankDelta(e0, e1Row, 3).spectrum(LA), LA);
        assertEquals(1, inside.energyLeft(), 1e-15);
        assertEquals(1, inside.energyRight(), 1e-15);
        assertEquals(1, inside.energyBoth(), 1e-15);
        assertArrayEquals(new double[] {0}, inside.principalAnglesDeg(), 1e-6);

        DenseMatrix e4 = new DenseMatrix(5, 1, new double[] {0, 0, 0, 0, 1});
        SubspaceOverlap mixed = SubspaceOverlap.of(kept, new LowRankDelta(e4, e1Row, 3).spectrum(LA), LA);
        assertEquals(0, mixed.energyLeft(), 1e-15);
        assertEquals(1, mixed.energyRight(), 1e-15);
        assertEquals(0, mixed.energyBoth(), 1e-15);
        assertArrayEquals(new double[] {90}, mixed.principalAnglesDeg(), 1e-12);
    }

    @Test
    void fanInFanOutTransposesTheUpdate() {
        Random random = new Random(3);
        DenseMatrix b = random(random, 7, 2);
        DenseMatrix a = random(random, 2, 4);
        DenseMatrix normal = new LowRankDelta(b, a, 2).dense();
        DenseMatrix transposed = new LowRankDelta(a.transpose(), b.transpose(), 2).dense();
        assertEquals(normal.transpose(), transposed);
    }
}
