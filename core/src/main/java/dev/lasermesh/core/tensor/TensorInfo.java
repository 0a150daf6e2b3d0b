package dev.lasermesh.core.tensor;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: its name, dtype, shape and where its bytes are.
 *
 * @param name   the tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype  element type
 * @param shape  dimensions, outermost first ([out_features, in_features] for linear weights)
 * @param begin  first byte of the data, relative to the start of the data section
 * @param end    one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Number of data bytes. */
    public long byteLength() {
        return end - begin;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Rows of a 2-D tensor (out_features of a linear weight). */
    public int rows() {
        requireMatrix();
        return Math.toIntExact(shape[0]);
    }

    /** Columns of a 2-D tensor (in_features of a linear weight). */
    public int cols() {
        requireMatrix();
        return Math.toIntExact(shape[1]);
    }

    private void requireMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + ", not a matrix");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
