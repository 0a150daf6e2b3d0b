package dev.lasermesh.core.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Converts between the little-endian byte layout of safetensors dtypes and Java floats/doubles.
 *
 * <p>Decoding is exact: BF16 is the upper 16 bits of an IEEE float32 (Google Brain bfloat16), F16
 * is IEEE 754 binary16 (widened by {@link Float#float16ToFloat}), F32/F64 are IEEE as stored; only
 * F64 → float rounds (to nearest even). Encoding rounds to nearest, ties to even, exactly as
 * PyTorch's {@code tensor.to(torch.bfloat16)} / {@code .to(torch.float16)}: c10's
 * {@code round_to_nearest_even} for BF16 (NaN becomes the canonical {@code 0x7FC0}) and
 * {@code fp16_ieee_from_fp32_value} for F16 (NaN becomes {@code sign|0x7E00}). Doubles are first
 * rounded to float32, as PyTorch's {@code BFloat16(float)} / {@code Half(float)} constructors do.
 */
public final class TensorCodec {

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort U16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Elements converted per step through a scratch array; keeps scratch memory small. */
    private static final int BLOCK = 16_384;

    private TensorCodec() {
    }

    /** Widens a bfloat16 bit pattern to float32 exactly. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** Rounds a float32 to bfloat16 bits, to nearest even; NaN → 0x7FC0; overflow → ±Inf. */
    public static short floatToBf16(float value) {
        if (Float.isNaN(value)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(value);
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Rounds a float32 to IEEE binary16 bits, to nearest even; NaN → sign|0x7E00; overflow → ±Inf. */
    public static short floatToF16(float value) {
        if (Float.isNaN(value)) {
            return (short) (((Float.floatToRawIntBits(value) >>> 16) & 0x8000) | 0x7E00);
        }
        return Float.floatToFloat16(value);
    }

    /** Widens IEEE binary16 bits to float32 exactly. */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /**
     * {@code value} as a tensor of {@code dtype} stores it, widened back to double: F64 unchanged,
     * F32 the nearest float, F16 and BF16 rounded through float32 as
     * {@link #encode(double[], int, int, DType, MemorySegment)} writes them. Lets an error be
     * measured as the tensor will be written, without writing it.
     */
    public static double round(double value, DType dtype) {
        return switch (dtype) {
            case F64 -> value;
            case F32 -> (float) value;
            case F16 -> f16ToFloat(floatToF16((float) value));
            case BF16 -> bf16ToFloat(floatToBf16((float) value));
        };
    }

    /**
     * Decodes {@code count} elements stored as {@code dtype} from the start of {@code src} into
     * {@code dst[dstFrom ...]}.
     */
    public static void decode(MemorySegment src, DType dtype, float[] dst, int dstFrom, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, F32_LE, 0, dst, dstFrom, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstFrom + i] = (float) src.getAtIndex(F64_LE, i);
                }
            }
            case BF16, F16 -> {
                short[] scratch = new short[Math.min(count, BLOCK)];
                for (int done = 0; done < count; done += scratch.length) {
                    int n = Math.min(scratch.length, count - done);
                    MemorySegment.copy(src, U16_LE, 2L * done, scratch, 0, n);
                    int base = dstFrom + done;
                    if (dtype == DType.BF16) {
                        for (int i = 0; i < n; i++) {
                            dst[base + i] = Float.intBitsToFloat(scratch[i] << 16);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            dst[base + i] = Float.float16ToFloat(scratch[i]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Decodes {@code count} elements stored as {@code dtype} from the start of {@code src} into
     * {@code dst[dstFrom ...]}, exactly.
     */
    public static void decode(MemorySegment src, DType dtype, double[] dst, int dstFrom, int count) {
        if (dtype == DType.F64) {
            MemorySegment.copy(src, F64_LE, 0, dst, dstFrom, count);
            return;
        }
        float[] scratch = new float[Math.min(count, BLOCK)];
        long elementBytes = dtype.byteSize();
        for (int done = 0; done < count; done += scratch.length) {
            int n = Math.min(scratch.length, count - done);
            decode(src.asSlice(elementBytes * done), dtype, scratch, 0, n);
            int base = dstFrom + done;
            for (int i = 0; i < n; i++) {
                dst[base + i] = scratch[i];
            }
        }
    }

    /** Encodes {@code src[from ..< from+count]} as {@code dtype} into the start of {@code dst}. */
    public static void encode(float[] src, int from, int count, DType dtype, MemorySegment dst) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, from, dst, F32_LE, 0, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst.setAtIndex(F64_LE, i, src[from + i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst.setAtIndex(U16_LE, i, floatToBf16(src[from + i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.setAtIndex(U16_LE, i, floatToF16(src[from + i]));
                }
            }
        }
    }

    /**
     * Encodes {@code src[from ..< from+count]} as {@code dtype} into the start of {@code dst}; F32,
     * F16 and BF16 round each double to float32 first (as PyTorch does), F64 is stored exactly.
     */
    public static void encode(double[] src, int from, int count, DType dtype, MemorySegment dst) {
        if (dtype == DType.F64) {
            MemorySegment.copy(src, from, dst, F64_LE, 0, count);
            return;
        }
        float[] scratch = new float[Math.min(count, BLOCK)];
        long elementBytes = dtype.byteSize();
        for (int done = 0; done < count; done += scratch.length) {
            int n = Math.min(scratch.length, count - done);
            for (int i = 0; i < n; i++) {
                scratch[i] = (float) src[from + done + i];
            }
            encode(scratch, 0, n, dtype, dst.asSlice(elementBytes * done));
        }
    }
}
