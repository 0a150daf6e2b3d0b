package dev.lasermesh.core.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's {@code Q4_0} (18 bytes per block of 32), bit-exact to {@code quantize_row_q4_0_ref} and
 * {@code dequantize_row_q4_0} of {@code ggml/src/ggml-quants.c}, in float32 as the C code:
 * m = the first value (in block order) whose |x| is strictly the largest, +0.0 for an all-zero block;
 * d = m / −8; id = d ≠ 0 ? 1/d : 0; q = min(15, (int8_t)(x·id + 8.5)) (float32 product and sum,
 * truncation toward zero); stored fp16(d) + 16 bytes qs[j] = q[j] | q[j+16] &lt;&lt; 4 (low nibbles hold
 * elements 0..15). Decoded: (q − 8)·fp32(fp16(d)). An all-zero block is {@code 00 80} + 16 × {@code 88}
 * (0.0 / −8 = −0.0).
 *
 * <p>The scale's sign follows m, so the value of largest magnitude maps exactly to q = 0 (−8·d) and
 * the opposite extreme may clip at 15: the format is asymmetric, not sign-equivariant.
 */
final class Q4_0Codec extends BlockCodec {

    static final Q4_0Codec INSTANCE = new Q4_0Codec();

    private static final int BYTES = 2 + BLOCK / 2;

    private Q4_0Codec() {
        super(BYTES);
    }

    @Override
    void encode(float[] src, int from, int blocks, byte[] dst, int to) {
        FloatVector[] v = new FloatVector[4];
        for (int b = 0; b < blocks; b++) {
            int in = from + b * BLOCK;
            int out = to + b * BYTES;
            load(src, in, v);
            float amax = absMax(v);
            float max = 0f;
            if (amax != 0) {
                for (int c = 0; c < 4; c++) {
                    VectorMask<Float> at = v[c].abs().compare(VectorOperators.EQ, amax);
                    if (at.anyTrue()) {
                        max = src[in + c * LANES + at.firstTrue()];
                        break;
                    }
                }
            }
            float d = max / -8f;
            float id = d != 0 ? 1f / d : 0f;
            HalfScale.write(d, dst, out);
            IntVector q0 = nibbles(v[0], id);
            IntVector q1 = nibbles(v[1], id);
            IntVector q2 = nibbles(v[2], id);
            IntVector q3 = nibbles(v[3], id);
            store(q0.or(q2.lanewise(VectorOperators.LSHL, 4)), dst, out + 2);
            store(q1.or(q3.lanewise(VectorOperators.LSHL, 4)), dst, out + 2 + LANES);
        }
    }

    /** min(15, trunc(x·id + 8.5)) per lane: the float32 product, then the float32 sum, then truncation. */
    private static IntVector nibbles(FloatVector x, float id) {
        return ((IntVector) x.mul(id).add(8.5f).convert(VectorOperators.F2I, 0)).min(15);
    }

    private static void store(IntVector packed, byte[] dst, int at) {
        ((ByteVector) packed.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, at);
    }

    @Override
    void decode(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++) {
            int in = from + b * BYTES;
            int out = to + b * BLOCK;
            float d = HalfScale.read(src, in);
            for (int c = 0; c < BLOCK / 2; c += LANES) {
                IntVector qs = ((IntVector) ByteVector.fromArray(B, src, in + 2 + c)
                        .convertShape(VectorOperators.B2I, I, 0)).and(0xFF);
                scaled(qs.and(0x0F), d).intoArray(dst, out + c);
                scaled(qs.lanewise(VectorOperators.LSHR, 4), d).intoArray(dst, out + BLOCK / 2 + c);
            }
        }
    }

    /** (q − 8)·d for nibbles q. */
    private static FloatVector scaled(IntVector q, float d) {
        return ((FloatVector) q.sub(8).convert(VectorOperators.I2F, 0)).mul(d);
    }
}
