package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.tensor.MappedPages;
import dev.lasermesh.core.tensor.TensorCodec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float32 copies of the matrices kept narrow (BF16/F16 in the mapped file), widened on first use and
 * kept while they fit {@code capacity} bytes; the least recently used are dropped first. A product
 * multiplies the whole widened matrix in one sgemm call, the operand today's widen-at-load path hands
 * over, so its results are the same bit for bit.
 *
 * <p>Why whole matrices and not tiles of rows: OpenBLAS's single-precision kernels do not sum a C
 * element in an order that is independent of how many rows of W one call covers (measured on the
 * tiny-llama fixture: with 8 or more positions, a product cut into row tiles of 8 to 512 rows differs
 * in the last bits from the whole product), so only the whole widened matrix gives today's bits.
 *
 * <p>The heap holds at most {@code capacity} bytes of cached matrices plus the matrices threads are
 * multiplying at the moment (one per thread), whatever the capacity.
 */
final class WidenedCache {

    private final long capacity;
    private final Map<String, float[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** A cache holding at most {@code capacity} bytes of widened matrices (0: none beyond the one in use). */
    WidenedCache(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The float32 values of {@code w} (stored narrow), widened exactly; do not modify the array. */
    synchronized float[] widened(WeightMatrix w) {
        float[] values = entries.get(w.name());
        if (values != null) {
            return values;
        }
        values = new float[Math.multiplyExact(w.rows(), w.cols())];
        TensorCodec.decode(w.data(), w.dtype(), values, 0, values.length);
        MappedPages.release(w.data());
        long size = (long) values.length * Float.BYTES;
        if (size <= capacity) {
            Iterator<float[]> eldest = entries.values().iterator();
            while (bytes + size > capacity) {
                bytes -= (long) eldest.next().length * Float.BYTES;
                eldest.remove();
            }
            entries.put(w.name(), values);
            bytes += size;
        }
        return values;
    }

    /** Bytes of widened matrices held now. */
    synchronized long bytes() {
        return bytes;
    }
}
