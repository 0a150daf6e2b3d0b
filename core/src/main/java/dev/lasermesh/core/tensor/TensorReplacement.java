package dev.lasermesh.core.tensor;

import java.util.Arrays;

/**
 * New content for one tensor of a model being written (e.g. a rank-reduced matrix): its dtype and
 * shape in the output, and its values, produced when the writer reaches it.
 */
public record TensorReplacement(DType dtype, long[] shape, TensorValues values) {

    public TensorReplacement {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A replacement with the dtype and shape of the tensor it replaces. */
    public static TensorReplacement like(TensorInfo original, TensorValues values) {
        return new TensorReplacement(original.dtype(), original.shape(), values);
    }

    @Override
    public String toString() {
        return "TensorReplacement[" + dtype + Arrays.toString(shape) + "]";
    }
}
