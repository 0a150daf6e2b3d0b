package dev.lasermesh.core.linalg;

import java.util.Arrays;

/**
 * A dense matrix of doubles in row-major order: element (i, j) is {@code data[i * cols + j]}.
 *
 * <p>Row-major matches the safetensors layout of a linear weight [out_features, in_features], so a
 * decoded tensor becomes a matrix without copying.
 */
public record DenseMatrix(int rows, int cols, double[] data) {

    public DenseMatrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative dimension " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("data length " + data.length + " is not " + rows + "x" + cols);
        }
    }

    /** A zero matrix. */
    public static DenseMatrix zeros(int rows, int cols) {
        return new DenseMatrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    /** Widens float32 values (exactly) into a new matrix. */
    public static DenseMatrix fromFloats(int rows, int cols, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new DenseMatrix(rows, cols, d);
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    public void set(int i, int j, double v) {
        data[i * cols + j] = v;
    }

    /** The smaller dimension, the number of singular values. */
    public int minDim() {
        return Math.min(rows, cols);
    }

    /** A new matrix holding the transpose. */
    public DenseMatrix transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return new DenseMatrix(cols, rows, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseMatrix m && rows == m.rows && cols == m.cols && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DenseMatrix[" + rows + "x" + cols + "]";
    }
}
