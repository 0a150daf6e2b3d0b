package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.eval.ForwardWorkers;
import dev.lasermesh.core.linalg.DenseMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The calibration statistics of one linear input site (DESIGN §7.4): the Gram matrix C = XᵀX, the
 * column sums of X and the number of rows T, all that SVD-LLM's whitening (C) and SFSD's output
 * covariance (W·(C − s·sᵀ/T)·Wᵀ/(T−1), with s the column sums) need.
 *
 * <p>Memory: C is symmetric, so only its upper triangle is accumulated, packed row by row (row i holds
 * C[i][i..width−1], {@link #packedIndex}); with its low parts that is 8·width·(width+1) bytes (1.6 GB for
 * a 7B model's 14336-wide down_proj input, half of a square accumulator), and a block's XᵀX arrives a
 * band of rows at a time and is never held whole.
 *
 * <p>Each block of windows' XᵀX ({@link CalibrationPass#blockWindows}) and each window's column sums are
 * formed in float64 from the float32 activations (the products are exact; {@link ObservedInput}) and added
 * into a double-double accumulator (a value and its rounding error, Knuth's TwoSum, TAOCP vol. 2 §4.2.2):
 * sums of shards then merge to the same doubles as one pass over all windows whenever the shards are cut
 * on block boundaries, because the accumulated value carries about 106 bits of the exact sum of the same
 * blocks' Grams.
 */
public final class InputStatistics {

    /**
     * Rows of C per band, the unit of work of {@link #add(List, ForwardWorkers)}: a constant, so C is
     * cut the same way whatever the number of threads (the products, and so the values, depend on it);
     * small enough that a 576-wide C gives 9 bands to share and the band's wasted lower half of its
     * diagonal block costs about b/width of the work, large enough for efficient products.
     */
    static final int BAND_ROWS = 64;

    private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_PREFERRED;

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private final int width;
    private final double[] gram;
    private final double[] gramLow;
    private final double[] sum;
    private final double[] sumLow;
    private long rows;

    /** Empty statistics for inputs of {@code width} columns. */
    public InputStatistics(int width) {
        this(width, new double[packedLength(width)], new double[packedLength(width)], new double[width],
                new double[width], 0);
    }

    /** Statistics as stored: the packed upper triangle of C and its low parts, the sums and theirs, the row count. */
    InputStatistics(int width, double[] gram, double[] gramLow, double[] sum, double[] sumLow, long rows) {
        if (gram.length != packedLength(width) || gramLow.length != gram.length || sum.length != width
                || sumLow.length != width) {
            throw new IllegalArgumentException("statistics arrays do not match the width " + width);
        }
        this.width = width;
        this.gram = gram;
        this.gramLow = gramLow;
        this.sum = sum;
        this.sumLow = sumLow;
        this.rows = rows;
    }

    /** Adds {@code positions} rows of {@code width} float32 values (row-major). */
    public void add(float[] x, int positions) {
        try (ObservedInput window = ObservedInput.of(x, positions, width)) {
            add(window);
        }
    }

    /** Adds one block of windows on this thread, band after band. */
    void add(ObservedInput block) {
        add(List.of(block), (count, band) -> {
            for (int b = 0; b < count; b++) {
                band.accept(b);
            }
        });
    }

    /**
     * Adds blocks of windows in their order on {@code workers}: the rows of C are cut into bands of
     * {@value #BAND_ROWS}, each band a task that adds every block's XᵀX in turn, and the windows' column
     * sums follow in order. Each entry thus gets the same values added in the same order as by adding the
     * blocks one by one, so the result is bit for bit the same whatever the number of workers, and only
     * this one accumulator is ever held (per-worker Grams would cost 1.6 GB per worker at a 7B model's
     * down_proj input, packed).
     */
    void add(List<ObservedInput> blocks, ForwardWorkers workers) {
        add(blocks, (count, band) -> workers.forEach(count, band, "calibration statistics"));
    }

    /** Runs band(b) for every b < count, on workers or one after the other. */
    @FunctionalInterface
    private interface BandRunner {
        void run(int count, IntConsumer band);
    }

    private void add(List<ObservedInput> blocks, BandRunner runner) {
        List<DoublePointer> values = new ArrayList<>(blocks.size());
        int[] positions = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            if (blocks.get(b).width() != width) {
                throw new IllegalArgumentException("block " + b + " has " + blocks.get(b).width()
                        + " columns, the statistics " + width);
            }
            values.add(blocks.get(b).values());
            positions[b] = blocks.get(b).rows();
        }
        int bands = (width + BAND_ROWS - 1) / BAND_ROWS;
        runner.run(bands, b -> DoubleKernels.gramUpperRows(values, positions, width, b * BAND_ROWS,
                Math.min(width, (b + 1) * BAND_ROWS),
                (i, row, from) -> addRow(gram, gramLow, packedIndex(i, i), row, from, width - i)));
        for (ObservedInput block : blocks) {
            for (int w = 0; w < block.windows(); w++) {
                addRow(sum, sumLow, 0, MemorySegment.ofArray(block.columnSums(w)), 0, width);
            }
            rows += block.rows();
        }
    }

    /** Adds the statistics of other windows (a shard) to these. */
    public void merge(InputStatistics other) {
        if (other.width != width) {
            throw new IllegalArgumentException("cannot merge statistics of width " + other.width + " into " + width);
        }
        for (int i = 0; i < gram.length; i++) {
            addTo(gram, gramLow, i, other.gram[i], other.gramLow[i]);
        }
        for (int i = 0; i < width; i++) {
            addTo(sum, sumLow, i, other.sum[i], other.sumLow[i]);
        }
        rows += other.rows;
    }

    /**
     * (hi, lo)[at + j] += the double at index from + j of {@code values} for j < n (native memory or a
     * heap array's segment, in the platform's byte order): {@link #addTo} with a zero low part, a vector
     * of entries at a time. Lane by lane these are the same IEEE additions and subtractions in the same
     * order (no fused operation), so the result is bit for bit that of the scalar loop.
     */
    private static void addRow(double[] hi, double[] lo, int at, MemorySegment values, long from, int n) {
        int j = 0;
        for (int bound = LANES.loopBound(n); j < bound; j += LANES.length()) {
            DoubleVector a = DoubleVector.fromArray(LANES, hi, at + j);
            DoubleVector value = DoubleVector.fromMemorySegment(LANES, values, (from + j) * Double.BYTES, NATIVE);
            DoubleVector s = a.add(value);
            DoubleVector v = s.sub(a);
            DoubleVector error = a.sub(s.sub(v)).add(value.sub(v));
            DoubleVector low = DoubleVector.fromArray(LANES, lo, at + j).add(0.0).add(error);
            DoubleVector h = s.add(low);
            low.sub(h.sub(s)).intoArray(lo, at + j);
            h.intoArray(hi, at + j);
        }
        for (; j < n; j++) {
            addTo(hi, lo, at + j, values.getAtIndex(ValueLayout.JAVA_DOUBLE, from + j), 0.0);
        }
    }

    /** (hi, lo)[at] += value + valueLow, renormalised: TwoSum of the high parts, low parts added. */
    private static void addTo(double[] hi, double[] lo, int at, double value, double valueLow) {
        double a = hi[at];
        double s = a + value;
        double v = s - a;
        double error = (a - (s - v)) + (value - v);
        double low = lo[at] + valueLow + error;
        double h = s + low;
        lo[at] = low - (h - s);
        hi[at] = h;
    }

    public int width() {
        return width;
    }

    /** T, the number of rows of X. */
    public long rows() {
        return rows;
    }

    /** C = XᵀX, symmetric, in float64. */
    public DenseMatrix gram() {
        double[] c = new double[width * width];
        for (int i = 0; i < width; i++) {
            for (int j = i, at = packedIndex(i, i); j < width; j++, at++) {
                double v = gram[at] + gramLow[at];
                c[i * width + j] = v;
                c[j * width + i] = v;
            }
        }
        return new DenseMatrix(width, width, c);
    }

    /** C[i][j] for i ≤ j, without unpacking C (a 7B model's is 1.6 GB). */
    double gram(int i, int j) {
        int at = packedIndex(i, j);
        return gram[at] + gramLow[at];
    }

    /** Entries of the packed upper triangle of a width × width matrix. */
    static int packedLength(int width) {
        return Math.toIntExact((long) width * (width + 1) / 2);
    }

    /** Where C[i][j], i ≤ j, lies in the packed upper triangle: rows 0..i−1 hold width − r entries each. */
    private int packedIndex(int i, int j) {
        return (int) ((long) i * width - (long) i * (i - 1) / 2 + (j - i));
    }

    /** The column sums of X. */
    public double[] columnSums() {
        double[] s = new double[width];
        for (int j = 0; j < width; j++) {
            s[j] = sum[j] + sumLow[j];
        }
        return s;
    }

    double[] gramHigh() {
        return gram;
    }

    double[] gramLow() {
        return gramLow;
    }

    double[] sumHigh() {
        return sum;
    }

    double[] sumLow() {
        return sumLow;
    }
}
