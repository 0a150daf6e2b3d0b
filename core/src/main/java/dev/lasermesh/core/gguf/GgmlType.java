package dev.lasermesh.core.gguf;

import dev.lasermesh.core.quant.QuantScheme;

/**
 * The ggml tensor types the GGUF export writes, with their ids ({@code enum ggml_type} in
 * {@code ggml/include/ggml.h}) and sizes: F32 4 B, F16 2 B per value, Q4_0 18 B and Q8_0 34 B per
 * block of 32.
 */
public enum GgmlType {
    F32(0),
    F16(1),
    Q4_0(2),
    Q8_0(8);

    private final int id;

    GgmlType(int id) {
        this.id = id;
    }

    /** The id written in a GGUF tensor info. */
    public int id() {
        return id;
    }

    /** The type of a ggml block scheme. */
    public static GgmlType of(QuantScheme scheme) {
        return switch (scheme) {
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
        };
    }

    /** Bytes of a rows × cols tensor of this type (ne0 = cols). */
    public long bytes(long rows, long cols) {
        return switch (this) {
            case F32 -> 4 * rows * cols;
            case F16 -> 2 * rows * cols;
            case Q4_0 -> QuantScheme.Q4_0.bytes(rows, cols);
            case Q8_0 -> QuantScheme.Q8_0.bytes(rows, cols);
        };
    }
}
