package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import java.lang.foreign.MemorySegment;

/**
 * A linear weight [out_features = rows, in_features = cols], row-major and little-endian, stored as
 * {@code dtype}: float32 (a read-only view into the memory-mapped file, or a heap array for widened
 * weights and overlays), or BF16/F16 left in the mapped file when the widened model would not fit
 * the memory budget ({@link WidenedCache} then widens it for the products).
 */
record WeightMatrix(String name, int rows, int cols, MemorySegment data, DType dtype) {

    static WeightMatrix ofArray(String name, int rows, int cols, float[] values) {
        return new WeightMatrix(name, rows, cols, MemorySegment.ofArray(values), DType.F32);
    }

    /** Whether {@link #data()} holds float32 values a product can read directly. */
    boolean isFloat32() {
        return dtype == DType.F32;
    }

    /** The rows {@code first .. first+count−1} widened exactly to float32 into {@code dst[offset ...]}. */
    void widenRows(int first, int count, float[] dst, int offset) {
        long rowBytes = (long) cols * dtype.byteSize();
        TensorCodec.decode(data.asSlice(first * rowBytes, count * rowBytes), dtype, dst,
                offset, count * cols);
    }
}
