package dev.lasermesh.core.eval.forward;

import java.lang.foreign.MemorySegment;

/**
 * A linear weight [out_features = rows, in_features = cols] as little-endian float32 values: either a
 * read-only view into the memory-mapped model file (float32 checkpoints, no copy) or a heap array
 * (widened BF16/F16 weights and overlays).
 */
record WeightMatrix(String name, int rows, int cols, MemorySegment data) {

    static WeightMatrix ofArray(String name, int rows, int cols, float[] values) {
        return new WeightMatrix(name, rows, cols, MemorySegment.ofArray(values));
    }
}
