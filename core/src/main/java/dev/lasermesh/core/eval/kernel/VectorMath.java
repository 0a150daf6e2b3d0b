package dev.lasermesh.core.eval.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise kernels of the forward pass (RMSNorm, SiLU gating, softmax, residual adds, log-sum-exp)
 * written with the Vector API.
 *
 * <p><b>Determinism.</b> The evaluation promises that recomputing from cached hidden states equals a
 * full pass bit for bit, including runs where part of the code is still interpreted. Two Vector API
 * features do not keep that promise: {@code lanewise(EXP)} (an intrinsic in compiled code, a scalar
 * fallback otherwise, which may round differently) and {@code reduceLanes(ADD)} (order of additions
 * left open by its specification). So the exponentials here are our own range reduction plus a
 * Taylor polynomial built from IEEE operations (add, multiply, fused multiply-add), and lane sums are
 * taken in lane order from an array. The exponential is the classic Cody–Waite scheme:
 * {@code exp(x) = 2^k · exp(r)}, {@code k = round(x / ln 2)}, {@code r = x − k·ln 2} with ln 2 split
 * in a high and a low part, so |r| ≤ ln 2 / 2 (Muller, <i>Elementary Functions</i>, 3rd ed., §11.2).
 */
public final class VectorMath {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as {@link #D}, for widening a float row to doubles. */
    private static final VectorSpecies<Float> F_HALF = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));

    /** Adding 1.5·2^23 rounds a float in (−2^22, 2^22) to an integer held in the low mantissa bits. */
    private static final float F_SHIFTER = 0x1.8p23f;
    private static final int F_SHIFTER_BITS = Float.floatToRawIntBits(F_SHIFTER);
    private static final float F_LOG2E = 1.44269504088896341f;
    private static final float F_LN2_HI = 0x1.62e4p-1f;
    private static final float F_LN2_LO = 0x1.7f7d1cp-20f;
    /** exp(−86) is the smallest value whose 2^k scaling stays a normal float; below it we clamp. */
    private static final float F_MIN_ARG = -86f;
    private static final float F_MAX_ARG = 88f;

    private static final double D_SHIFTER = 0x1.8p52;
    private static final long D_SHIFTER_BITS = Double.doubleToRawLongBits(D_SHIFTER);
    private static final double D_LOG2E = 1.4426950408889634;
    private static final double D_LN2_HI = 0x1.62e42fefa39efp-1;
    private static final double D_LN2_LO = 0x1.abc9e3b39803fp-56;
    /** Terms below e^−700 cannot change a sum that contains the term e^0 = 1; clamping keeps 2^k normal. */
    private static final double D_MIN_ARG = -700.0;
    /** 1/13!, 1/12!, ..., 1/1!, 1/0!: Horner coefficients of the degree-13 Taylor polynomial of e^r. */
    private static final double[] D_TAYLOR = taylorCoefficients(13);

    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private VectorMath() {
    }

    /**
     * e^x in float32 for x in [−86, 88] (clamped outside), relative error below 2 ulp. Inputs below −86
     * return e^−86 ≈ 4.4e−38, an absolute error under 5e−38.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(F_MIN_ARG).min(F_MAX_ARG);
        FloatVector t = xc.lanewise(VectorOperators.FMA, F_LOG2E, F_SHIFTER);
        FloatVector k = t.sub(F_SHIFTER);
        FloatVector r = k.neg().lanewise(VectorOperators.FMA, F_LN2_HI, xc);
        r = k.neg().lanewise(VectorOperators.FMA, F_LN2_LO, r);
        // Taylor polynomial of degree 7: the remainder r^8/8! stays below 5e-9 for |r| <= ln2/2.
        FloatVector p = FloatVector.broadcast(F, 1f / 5040f);
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 1f / 720f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 1f / 120f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 1f / 24f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 1f / 6f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 0.5f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 1f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(F, 1f));
        IntVector scale = t.reinterpretAsInts().sub(F_SHIFTER_BITS).lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(scale).reinterpretAsFloats();
    }

    /** e^x in float64 for x in [−700, 0] (clamped below), relative error below 2 ulp. */
    static DoubleVector expNonPositive(DoubleVector x) {
        DoubleVector xc = x.max(D_MIN_ARG);
        DoubleVector t = xc.lanewise(VectorOperators.FMA, D_LOG2E, D_SHIFTER);
        DoubleVector k = t.sub(D_SHIFTER);
        DoubleVector r = k.neg().lanewise(VectorOperators.FMA, D_LN2_HI, xc);
        r = k.neg().lanewise(VectorOperators.FMA, D_LN2_LO, r);
        // Taylor polynomial of degree 13: the remainder r^14/14! stays below 5e-18 for |r| <= ln2/2.
        DoubleVector p = DoubleVector.broadcast(D, D_TAYLOR[0]);
        for (int i = 1; i < D_TAYLOR.length; i++) {
            p = p.lanewise(VectorOperators.FMA, r, D_TAYLOR[i]);
        }
        LongVector scale = t.reinterpretAsLongs().sub(D_SHIFTER_BITS).lanewise(VectorOperators.LSHL, 52);
        return p.reinterpretAsLongs().add(scale).reinterpretAsDoubles();
    }

    private static double[] taylorCoefficients(int degree) {
        double[] c = new double[degree + 1];
        double factorial = 1;
        for (int n = 0; n <= degree; n++) {
            factorial *= Math.max(n, 1);
            c[degree - n] = 1.0 / factorial;
        }
        return c;
    }

    /** Floats in lane order summed from first to last lane, so the result never depends on the JIT. */
    private static float sumInLaneOrder(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0f;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    private static double sumInLaneOrder(DoubleVector v) {
        double[] lanes = v.toArray();
        double s = 0.0;
        for (double x : lanes) {
            s += x;
        }
        return s;
    }

    /**
     * RMSNorm of one row as transformers' {@code LlamaRMSNorm}: {@code out = w ⊙ (x / sqrt(mean(x²) + eps))}
     * (Zhang &amp; Sennrich 2019, "Root Mean Square Layer Normalization", eq. 4), in float32.
     */
    public static void rmsNorm(float[] x, int xOffset, float[] weight, float eps, float[] out, int outOffset) {
        int n = weight.length;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xOffset + i, m);
            acc = v.lanewise(VectorOperators.FMA, v, acc);
        }
        float mean = sumInLaneOrder(acc) / n;
        float inv = (float) (1.0 / Math.sqrt(mean + eps));
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xOffset + i, m).mul(inv);
            FloatVector.fromArray(F, weight, i, m).mul(v).intoArray(out, outOffset + i, m);
        }
    }

    /**
     * LayerNorm of one row as PyTorch's {@code nn.LayerNorm} (Ba, Kiros &amp; Hinton 2016, "Layer
     * Normalization", eq. 4): {@code out = w ⊙ (x − mean) / sqrt(var + eps) + b} with the biased variance.
     * Mean and variance are accumulated in float64 (two passes) so the statistics carry no float32
     * summation error; the result is rounded to float32 once per element.
     */
    public static void layerNorm(float[] x, int xOffset, float[] weight, float[] bias, double eps, float[] out,
                                 int outOffset) {
        int n = weight.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[xOffset + i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = x[xOffset + i] - mean;
            squares += d * d;
        }
        normalize(x, xOffset, mean, 1.0 / Math.sqrt(squares / n + eps), weight, bias, out, outOffset);
    }

    /**
     * {@link #layerNorm} of {@code rows} consecutive rows of {@code x} (each {@code weight.length} wide)
     * into the same rows of {@code out}, with the same result for every row. The float64 sums of a row
     * are a chain of dependent additions in element order; four rows' chains run side by side in one
     * loop, each still in element order, so the processor overlaps them instead of waiting on each
     * addition (the statistics were a twentieth of the encoder's forward pass, one chain at a time).
     */
    public static void layerNormRows(float[] x, int rows, float[] weight, float[] bias, double eps, float[] out) {
        int n = weight.length;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a = r * n;
            int b = a + n;
            int c = b + n;
            int d = c + n;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = 0; i < n; i++) {
                s0 += x[a + i];
                s1 += x[b + i];
                s2 += x[c + i];
                s3 += x[d + i];
            }
            double m0 = s0 / n;
            double m1 = s1 / n;
            double m2 = s2 / n;
            double m3 = s3 / n;
            double q0 = 0;
            double q1 = 0;
            double q2 = 0;
            double q3 = 0;
            for (int i = 0; i < n; i++) {
                double d0 = x[a + i] - m0;
                double d1 = x[b + i] - m1;
                double d2 = x[c + i] - m2;
                double d3 = x[d + i] - m3;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
            }
            normalize(x, a, m0, 1.0 / Math.sqrt(q0 / n + eps), weight, bias, out, a);
            normalize(x, b, m1, 1.0 / Math.sqrt(q1 / n + eps), weight, bias, out, b);
            normalize(x, c, m2, 1.0 / Math.sqrt(q2 / n + eps), weight, bias, out, c);
            normalize(x, d, m3, 1.0 / Math.sqrt(q3 / n + eps), weight, bias, out, d);
        }
        for (; r < rows; r++) {
            layerNorm(x, r * n, weight, bias, eps, out, r * n);
        }
    }

    /**
     * {@code out = (float) ((x − mean) · inv · w + b)} element by element in float64, lanes of
     * {@link #D} then the scalar tail: the same operations in the same order either way.
     */
    private static void normalize(float[] x, int xOffset, double mean, double inv, float[] weight, float[] bias,
                                  float[] out, int outOffset) {
        int n = weight.length;
        int i = 0;
        for (; i <= n - D.length(); i += D.length()) {
            DoubleVector y = widen(x, xOffset + i).sub(mean).mul(inv).mul(widen(weight, i)).add(widen(bias, i));
            ((FloatVector) y.convertShape(VectorOperators.D2F, F_HALF, 0)).intoArray(out, outOffset + i);
        }
        for (; i < n; i++) {
            out[outOffset + i] = (float) ((x[xOffset + i] - mean) * inv * weight[i] + bias[i]);
        }
    }

    /** {@code values[offset ..]} as float64 lanes of {@link #D} (exact). */
    private static DoubleVector widen(float[] values, int offset) {
        return (DoubleVector) FloatVector.fromArray(F_HALF, values, offset).convertShape(VectorOperators.F2D, D, 0);
    }

    /**
     * {@code x[r][i] = (x[r][i] + bias[i]) + residual[r][i]} for {@code rows} rows of {@code bias.length}:
     * a projection's bias and BERT's residual connection in one pass, the same float32 additions in
     * the same order as adding the bias and then the residual.
     */
    public static void addBiasAndResidual(float[] x, float[] bias, float[] residual, int rows) {
        int n = bias.length;
        int whole = F.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            int i = 0;
            for (; i < whole; i += F.length()) {
                FloatVector.fromArray(F, x, base + i).add(FloatVector.fromArray(F, bias, i))
                        .add(FloatVector.fromArray(F, residual, base + i)).intoArray(x, base + i);
            }
            for (; i < n; i++) {
                x[base + i] = (x[base + i] + bias[i]) + residual[base + i];
            }
        }
    }

    /** {@code acc[i] += b[i]} for i &lt; n: the residual connections. */
    public static void addInPlace(float[] acc, float[] b, int n) {
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, acc, i, m).add(FloatVector.fromArray(F, b, i, m)).intoArray(acc, i, m);
        }
    }

    /** {@code row[offset + i] += bias[i]}: the q/k/v biases of Qwen2-style attention. */
    public static void addBias(float[] rows, int rowCount, float[] bias) {
        int n = bias.length;
        for (int r = 0; r < rowCount; r++) {
            int base = r * n;
            for (int i = 0; i < n; i += F.length()) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector.fromArray(F, rows, base + i, m).add(FloatVector.fromArray(F, bias, i, m))
                        .intoArray(rows, base + i, m);
            }
        }
    }

    /**
     * SwiGLU gating in place: {@code gate[i] = silu(gate[i]) · up[i]} with {@code silu(x) = x / (1 + e^−x)}
     * (Shazeer 2020, "GLU Variants Improve Transformer", eq. 6; Llama's MLP).
     */
    public static void siluMultiply(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector g = FloatVector.fromArray(F, gate, i, m);
            FloatVector silu = g.div(exp(g.neg()).add(1f));
            silu.mul(FloatVector.fromArray(F, up, i, m)).intoArray(gate, i, m);
        }
    }

    /**
     * Softmax over {@code row[offset .. offset+n)} in place, in float32 (max subtracted first), as
     * transformers' eager attention computes it for float32 models. Whole vectors run unmasked and only
     * the last, partial one under a mask (masks are emulated without AVX-512): the same lanes hold the
     * same values either way.
     */
    public static void softmaxInPlace(float[] row, int offset, int n) {
        float max = max(row, offset, n);
        int whole = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < whole; i += F.length()) {
            FloatVector e = exp(FloatVector.fromArray(F, row, offset + i).sub(max));
            e.intoArray(row, offset + i);
            acc = acc.add(e);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector e = exp(FloatVector.fromArray(F, row, offset + i, m).sub(max));
            e.intoArray(row, offset + i, m);
            acc = acc.add(e, m);
        }
        float sum = sumInLaneOrder(acc);
        for (i = 0; i < whole; i += F.length()) {
            FloatVector.fromArray(F, row, offset + i).div(sum).intoArray(row, offset + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, row, offset + i, m).div(sum).intoArray(row, offset + i, m);
        }
    }

    /** Largest of {@code row[offset .. offset+n)}; the order of comparisons cannot change a maximum. */
    public static float max(float[] row, int offset, int n) {
        int whole = F.loopBound(n);
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < whole; i += F.length()) {
            acc = acc.max(FloatVector.fromArray(F, row, offset + i));
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            acc = acc.max(FloatVector.fromArray(F, row, offset + i, m).blend(Float.NEGATIVE_INFINITY, m.not()));
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /**
     * {@code log Σ_i e^{row[i]}} over {@code row[offset .. offset+n)}, computed in float64 from the float32
     * logits (the reference's {@code log_softmax(logits.to(float64))}): {@code max + log Σ e^{x − max}}.
     */
    public static double logSumExp(float[] row, int offset, int n) {
        double max = max(row, offset, n);
        DoubleVector acc = DoubleVector.zero(D);
        for (int i = 0; i < n; i += D.length()) {
            VectorMask<Float> m = F_HALF.indexInRange(i, n);
            DoubleVector x = (DoubleVector) FloatVector.fromArray(F_HALF, row, offset + i, m)
                    .convertShape(VectorOperators.F2D, D, 0);
            VectorMask<Double> dm = m.cast(D);
            acc = acc.add(expNonPositive(x.sub(max)), dm);
        }
        return max + Math.log(sumInLaneOrder(acc));
    }

    /**
     * Index of the first NaN or infinite float32 in a little-endian segment of {@code count} floats, or
     * −1 when all are finite: weights are checked once when a model is bound.
     */
    public static long indexOfNonFinite(MemorySegment floats, long count) {
        long i = 0;
        long bound = count - count % F.length();
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromMemorySegment(F, floats, i * Float.BYTES, ByteOrder.LITTLE_ENDIAN);
            if (!v.test(VectorOperators.IS_FINITE).allTrue()) {
                break;
            }
        }
        for (; i < count; i++) {
            if (!Float.isFinite(floats.getAtIndex(LE_FLOAT, i))) {
                return i;
            }
        }
        return -1;
    }
}

