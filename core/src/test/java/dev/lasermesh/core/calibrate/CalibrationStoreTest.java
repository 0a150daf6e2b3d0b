package dev.lasermesh.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packed statistics (the upper triangle of XᵀX row by row) against XᵀX summed here entry by entry,
 * through the store and back; a block of windows (one Gram product for all) against the same windows added
 * one by one; and a folder of square Grams (the first format) refused with a clear error.
 */
class CalibrationStoreTest {

    /** Wider than one band of {@value InputStatistics#BAND_ROWS} rows, so a band boundary and a short last band are crossed. */
    private static final int WIDTH = 70;

    @Test
    void packedStatisticsAreXtXAndTheColumnSumsAndSurviveTheStore(@TempDir Path dir) {
        SplittableRandom random = new SplittableRandom(14);
        InputStatistics statistics = new InputStatistics(WIDTH);
        double[][] direct = new double[WIDTH][WIDTH];
        double[] sums = new double[WIDTH];
        int rows = 0;
        for (int window = 0; window < 3; window++) {
            int positions = 5 + 7 * window;
            float[] x = new float[positions * WIDTH];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            statistics.add(x, positions);
            rows += positions;
            for (int t = 0; t < positions; t++) {
                for (int i = 0; i < WIDTH; i++) {
                    sums[i] += x[t * WIDTH + i];
                    for (int j = 0; j < WIDTH; j++) {
                        direct[i][j] += (double) x[t * WIDTH + i] * x[t * WIDTH + j];
                    }
                }
            }
        }
        CalibrationStore store = new CalibrationStore(dir);
        store.write(2, Map.of(LinearInput.MLP_HIDDEN, statistics));
        InputStatistics read = store.read(2, LinearInput.MLP_HIDDEN);
        assertEquals(rows, read.rows());
        assertArrayEquals(statistics.gram().data(), read.gram().data(), 0.0, "gram through the store");
        assertArrayEquals(statistics.columnSums(), read.columnSums(), 0.0, "sums through the store");
        double[] c = read.gram().data();
        for (int i = 0; i < WIDTH; i++) {
            assertEquals(sums[i], read.columnSums()[i], 1e-12 * rows, "sum " + i);
            for (int j = 0; j < WIDTH; j++) {
                assertEquals(direct[i][j], c[i * WIDTH + j], 1e-12 * rows, "C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void aBlockOfWindowsHasTheirColumnSumsExactlyAndTheirGramToRounding() {
        SplittableRandom random = new SplittableRandom(7);
        int[] positions = {5, 12, 19};
        InputStatistics byWindow = new InputStatistics(WIDTH);
        InputStatistics byBlock = new InputStatistics(WIDTH);
        try (ObservedInput block = ObservedInput.block(positions, WIDTH)) {
            for (int w = 0; w < positions.length; w++) {
                float[] x = new float[positions[w] * WIDTH];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (random.nextGaussian() * (1 + i % 5));
                }
                byWindow.add(x, positions[w]);
                block.widen(w, x);
            }
            assertEquals(36, block.rows());
            byBlock.add(block);
        }
        assertEquals(byWindow.rows(), byBlock.rows());
        assertArrayEquals(byWindow.columnSums(), byBlock.columnSums(), 0.0, "each window's sums, added in order");
        double[] a = byWindow.gram().data();
        double[] b = byBlock.gram().data();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-13 * Math.sqrt(a[i / WIDTH * (WIDTH + 1)] * a[i % WIDTH * (WIDTH + 1)]),
                    "C entry " + i + ": one product of depth 36 against three of 5, 12 and 19");
        }
    }

    @Test
    void aFolderOfSquareGramsIsRefusedWithTheLayerAndWhatToDo(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        new SafetensorsWriter(dir.resolve("layer-004.safetensors"))
                .put(LinearInput.MLP_HIDDEN.key() + ".gram", DType.F64, new long[] {2, 2}, new double[4])
                .write();
        CalibrationStore store = new CalibrationStore(dir);
        assertEquals(List.of(LinearInput.MLP_HIDDEN), store.sites(4));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> store.read(4, LinearInput.MLP_HIDDEN));
        assertTrue(e.getMessage().contains("layer 4") && e.getMessage().contains("calibrate again"), e.getMessage());
    }
}
