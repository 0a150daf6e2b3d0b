package dev.lasermesh.core.eval.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The correctness check printed next to the encoder benchmark's speeds: the largest absolute difference
 * between the two sides' sentence embeddings, which must be float32 rounding (≈1e-6 for normalised
 * MiniLM vectors, DESIGN §7.1's 1e-5 tolerance) for the speeds to compare the same computation.
 */
final class EmbeddingDifference {

    private EmbeddingDifference() {
    }

    /**
     * max over texts and dimensions of |a − b| (NaN when a value is NaN).
     *
     * @throws IllegalArgumentException naming the text when the two sides have different shapes
     */
    static double maxAbs(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("one side has " + a.length + " embeddings, the other " + b.length);
        }
        double max = 0;
        for (int t = 0; t < a.length; t++) {
            if (a[t].length != b[t].length) {
                throw new IllegalArgumentException("text " + t + ": embeddings of " + a[t].length + " and " + b[t].length
                        + " dimensions");
            }
            for (int i = 0; i < a[t].length; i++) {
                max = Math.max(max, Math.abs(a[t][i] - b[t][i]));
            }
        }
        return max;
    }

    /**
     * {@code rows} × {@code columns} little-endian float64 values, row after row (what the PyTorch script writes).
     *
     * @throws IOException when the file does not hold exactly that many values
     */
    static double[][] readRows(Path file, int rows, int columns) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long expected = (long) rows * columns * Double.BYTES;
        if (bytes.capacity() != expected) {
            throw new IOException(file + " holds " + bytes.capacity() + " bytes, expected " + rows + " x " + columns
                    + " float64 values (" + expected + " bytes)");
        }
        double[][] out = new double[rows][columns];
        for (double[] row : out) {
            for (int i = 0; i < columns; i++) {
                row[i] = bytes.getDouble();
            }
        }
        return out;
    }
}
