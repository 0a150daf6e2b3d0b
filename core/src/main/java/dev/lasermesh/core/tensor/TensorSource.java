package dev.lasermesh.core.tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * Read access to the named tensors of a model: one safetensors file or a sharded set.
 *
 * <p>Implementations memory-map their files, so tensors are decoded on demand and a model larger
 * than the heap can be analysed one matrix at a time. Instances are thread-safe for reading.
 */
public interface TensorSource extends AutoCloseable {

    /** All tensors, in header order of their files. */
    List<TensorInfo> tensors();

    /** Whether a tensor of this name exists. */
    boolean contains(String name);

    /**
     * The header entry of a tensor.
     *
     * @throws TensorFormatException naming the tensor and the source when it does not exist
     */
    TensorInfo info(String name);

    /** The raw little-endian bytes of a tensor, as stored (read-only view into the mapping). */
    MemorySegment bytes(String name);

    /** The tensor decoded exactly to float32 (F16 and BF16 widen exactly; F64 rounds). */
    float[] readFloats(String name);

    /** The tensor decoded exactly to float64. */
    double[] readDoubles(String name);

    /**
     * Rows {@code first .. first+count−1} of a matrix (a 2-D tensor), decoded exactly to float64, row-major:
     * a block of a matrix that need not fit the heap whole, as the mesh's output assembly streams it. The
     * block's mapped pages leave the resident set once decoded ({@link MappedPages}).
     *
     * @throws IllegalArgumentException when the rows are not all inside the matrix
     */
    default double[] readRows(String name, int first, int count) {
        TensorInfo info = info(name);
        if (first < 0 || count < 0 || first > info.rows() - count) {
            throw new IllegalArgumentException(description() + ": tensor \"" + name + "\" has " + info.rows()
                    + " rows, cannot read " + count + " from row " + first);
        }
        long rowBytes = (long) info.cols() * info.dtype().byteSize();
        double[] values = new double[Math.multiplyExact(count, info.cols())];
        MemorySegment stored = bytes(name).asSlice(first * rowBytes, count * rowBytes);
        TensorCodec.decode(stored, info.dtype(), values, 0, values.length);
        MappedPages.release(stored);
        return values;
    }

    /** The {@code __metadata__} map of the header (of the first shard for sharded models). */
    Map<String, String> metadata();

    /** A human-readable description of where the tensors come from (a path), for messages. */
    String description();

    @Override
    void close();
}
