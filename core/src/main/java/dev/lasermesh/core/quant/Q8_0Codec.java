package dev.lasermesh.core.quant;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml's {@code Q8_0} (34 bytes per block of 32), bit-exact to {@code quantize_row_q8_0_ref} and
 * {@code dequantize_row_q8_0} of {@code ggml/src/ggml-quants.c}, all in float32 as the C code:
 * amax = max|x|; d = amax / 127; id = d ≠ 0 ? 1/d : 0; q = roundf(x·id) (the float32 product, then
 * round half away from zero) as int8; stored fp16(d) + 32 int8. Decoded: q·fp32(fp16(d)), exact in
 * float32. ggml multiplies by the float32 reciprocal of the float32 d — neither x/d nor the fp16 d —
 * and the two differ in the last bit on some blocks, so the order of operations here is the C order.
 *
 * <p>Four 8-lane vectors hold a block; roundf is done exactly with integer truncation: for a = |x·id|
 * (below 2²³, so a − trunc(a) is exact) q = trunc(a) + (a − trunc(a) ≥ ½), with x's sign.
 */
final class Q8_0Codec extends BlockCodec {

    static final Q8_0Codec INSTANCE = new Q8_0Codec();

    private static final int BYTES = 2 + BLOCK;

    private Q8_0Codec() {
        super(BYTES);
    }

    @Override
    void encode(float[] src, int from, int blocks, byte[] dst, int to) {
        FloatVector[] v = new FloatVector[4];
        for (int b = 0; b < blocks; b++) {
            int out = to + b * BYTES;
            load(src, from + b * BLOCK, v);
            float d = absMax(v) / 127f;
            float id = d != 0 ? 1f / d : 0f;
            HalfScale.write(d, dst, out);
            for (int c = 0; c < 4; c++) {
                storeRounded(v[c].mul(id), dst, out + 2 + c * LANES);
            }
        }
    }

    /** C's roundf of each lane (half away from zero) as int8. */
    private static void storeRounded(FloatVector x, byte[] dst, int at) {
        FloatVector a = x.abs();
        IntVector t = (IntVector) a.convert(VectorOperators.F2I, 0);
        FloatVector fraction = a.sub((FloatVector) t.convert(VectorOperators.I2F, 0));
        VectorMask<Integer> up = fraction.compare(VectorOperators.GE, 0.5f).cast(I);
        VectorMask<Integer> negative = x.compare(VectorOperators.LT, 0f).cast(I);
        IntVector q = t.add(1, up).lanewise(VectorOperators.NEG, negative);
        ((ByteVector) q.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, at);
    }

    @Override
    void decode(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++) {
            int in = from + b * BYTES;
            int out = to + b * BLOCK;
            float d = HalfScale.read(src, in);
            for (int c = 0; c < BLOCK; c += LANES) {
                ((FloatVector) ByteVector.fromArray(B, src, in + 2 + c).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d).intoArray(dst, out + c);
            }
        }
    }
}
