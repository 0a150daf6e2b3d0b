package dev.lasermesh.core.quant;

import dev.lasermesh.core.tensor.TensorCodec;

/**
 * The per-block scale d of the ggml formats, stored as an IEEE binary16 (round to nearest even, as
 * ggml's {@code GGML_FP32_TO_FP16}) in little-endian byte order at the start of each block.
 */
final class HalfScale {

    private HalfScale() {
    }

    /** Writes fp16(d) at {@code dst[at]}, {@code dst[at + 1]}. */
    static void write(float d, byte[] dst, int at) {
        short half = TensorCodec.floatToF16(d);
        dst[at] = (byte) half;
        dst[at + 1] = (byte) (half >>> 8);
    }

    /** The stored scale widened exactly to float32. */
    static float read(byte[] src, int at) {
        return TensorCodec.f16ToFloat((short) ((src[at] & 0xFF) | (src[at + 1] & 0xFF) << 8));
    }
}
