package dev.lasermesh.core.calibrate;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bytedeco.javacpp.DoublePointer;

/**
 * One window's rows of a linear's input X, ready for {@link InputStatistics}: widened to float64 in
 * native memory (the operand of the Gram's {@code dgemm}) with its column sums formed in float64. Made
 * by the worker that computed the window's forward pass, so widening and summing run in parallel with
 * the other windows instead of one thread's pass before the Gram (a tenth of the calibration's time).
 * Holds native memory until {@link #close()}.
 */
final class ObservedInput implements AutoCloseable {

    private final DoublePointer values;
    private final int rows;
    private final double[] columnSums;

    private ObservedInput(DoublePointer values, int rows, double[] columnSums) {
        this.values = values;
        this.rows = rows;
        this.columnSums = columnSums;
    }

    /**
     * The first {@code rows} rows of {@code x} (row-major, {@code width} columns), widened straight into
     * native memory (no float64 copy on the heap first).
     */
    static ObservedInput of(float[] x, int rows, int width) {
        long count = (long) rows * width;
        DoublePointer values = new DoublePointer(count);
        MemorySegment widened = DoubleKernels.segment(values, count);
        double[] sums = new double[width];
        for (int r = 0, at = 0; r < rows; r++) {
            for (int j = 0; j < width; j++, at++) {
                widened.setAtIndex(ValueLayout.JAVA_DOUBLE, at, x[at]);
                sums[j] += x[at];
            }
        }
        return new ObservedInput(values, rows, sums);
    }

    DoublePointer values() {
        return values;
    }

    int rows() {
        return rows;
    }

    int width() {
        return columnSums.length;
    }

    /** Σ_r X[r][j] in float64, row after row. */
    double[] columnSums() {
        return columnSums;
    }

    @Override
    public void close() {
        values.close();
    }
}
