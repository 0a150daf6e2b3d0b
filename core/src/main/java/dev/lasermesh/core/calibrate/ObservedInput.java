package dev.lasermesh.core.calibrate;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A linear's input X over one block of consecutive windows ({@link CalibrationPass#blockWindows}), ready
 * for {@link InputStatistics}: the windows' rows one after the other, widened to float64 in one native
 * buffer (the operand of the Gram's {@code dgemm}, one product of depth the block's rows), and each
 * window's column sums formed in float64. Each window is widened by the worker that computed its forward
 * pass, into its own rows, so widening and summing run in parallel with the other windows. Holds native
 * memory until {@link #close()}.
 */
final class ObservedInput implements AutoCloseable {

    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as {@link #DOUBLES} has lanes, so one float vector widens to one double vector. */
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class,
            VectorShape.forBitSize(DOUBLES.length() * Float.SIZE));
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final DoublePointer values;
    private final MemorySegment widened;
    private final int width;
    /** Row of the block where each window starts; the last entry is the block's row count. */
    private final int[] firstRows;
    private final double[][] columnSums;

    private ObservedInput(int[] windowRows, int width) {
        this.width = width;
        this.firstRows = new int[windowRows.length + 1];
        for (int w = 0; w < windowRows.length; w++) {
            firstRows[w + 1] = firstRows[w] + windowRows[w];
        }
        this.columnSums = new double[windowRows.length][width];
        long count = (long) rows() * width;
        this.values = new DoublePointer(count);
        this.widened = DoubleKernels.segment(values, count);
    }

    /** An empty block for windows of {@code windowRows} rows each, in order, of {@code width} columns. */
    static ObservedInput block(int[] windowRows, int width) {
        return new ObservedInput(windowRows, width);
    }

    /** One window: the first {@code rows} rows of {@code x} (row-major, {@code width} columns). */
    static ObservedInput of(float[] x, int rows, int width) {
        ObservedInput window = new ObservedInput(new int[] {rows}, width);
        window.widen(0, x);
        return window;
    }

    /**
     * Widens window {@code window}'s rows from {@code x} (row-major, at least its rows) straight into the
     * block's native memory and sums its columns. Lane by lane these are the same conversions and
     * additions, row after row, as a scalar loop, so the sums are bit for bit the same. Workers may widen
     * different windows of a block at the same time.
     */
    void widen(int window, float[] x) {
        double[] sums = columnSums[window];
        int bound = FLOATS.loopBound(width);
        long at = (long) firstRows[window] * width;
        for (int r = 0, from = 0; r < firstRows[window + 1] - firstRows[window]; r++, from += width, at += width) {
            int j = 0;
            for (; j < bound; j += FLOATS.length()) {
                DoubleVector d = (DoubleVector) FloatVector.fromArray(FLOATS, x, from + j)
                        .convertShape(VectorOperators.F2D, DOUBLES, 0);
                d.intoMemorySegment(widened, (at + j) * Double.BYTES, NATIVE);
                DoubleVector.fromArray(DOUBLES, sums, j).add(d).intoArray(sums, j);
            }
            for (; j < width; j++) {
                double v = x[from + j];
                widened.setAtIndex(ValueLayout.JAVA_DOUBLE, at + j, v);
                sums[j] += v;
            }
        }
    }

    DoublePointer values() {
        return values;
    }

    /** The block's rows, all windows together. */
    int rows() {
        return firstRows[firstRows.length - 1];
    }

    int width() {
        return width;
    }

    /** The block's windows. */
    int windows() {
        return columnSums.length;
    }

    /** Σ_r X[r][j] over window {@code window}'s rows, in float64, row after row. */
    double[] columnSums(int window) {
        return columnSums[window];
    }

    @Override
    public void close() {
        values.close();
    }
}
