package dev.lasermesh.core.tensor;

import java.util.Locale;

/**
 * Element types of safetensors tensors that Lasermesh reads and writes.
 *
 * <p>Names are those of the safetensors header ({@code "F32"}, {@code "BF16"}, ...), see
 * https://github.com/huggingface/safetensors#format. F64 is used internally for results computed
 * in double precision.
 */
public enum DType {
    F64(8),
    F32(4),
    F16(2),
    BF16(2);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The header spelling of this dtype. */
    public String headerName() {
        return name();
    }

    /**
     * Parses a header dtype name.
     *
     * @throws IllegalArgumentException naming the dtype when it is not one Lasermesh supports
     */
    public static DType fromHeader(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "unknown dtype \"%s\" (supported: F32, F16, BF16, F64)", name));
    }
}
