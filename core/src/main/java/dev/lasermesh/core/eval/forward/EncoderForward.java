package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.kernel.Gelu;
import dev.lasermesh.core.eval.kernel.Sgemm;
import dev.lasermesh.core.eval.kernel.VectorMath;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The forward pass of a BERT encoder as transformers' {@code BertModel} computes it in float32 (Devlin
 * et al. 2019, §3; Vaswani et al. 2017 for the post-LN layer): embeddings {@code LN(word + type₀ +
 * position)}, then per layer {@code x = LN(x + o(attn(q(x), k(x), v(x))))},
 * {@code x = LN(x + down(gelu(up(x))))} with exact erf GELU ({@link Gelu}), bidirectional attention
 * scaled by 1/√head_dim within each sequence, token type 0 and absolute positions 0..n−1.
 *
 * <p>A batch ({@link EncoderBatch}) is processed at once: every linear layer is one matrix–matrix
 * product ({@link Sgemm}) over all its tokens. One instance serves many threads, each with its own
 * {@link EncoderWorkspace}. Stage l is the input of layer l, stage L the last hidden state, so a caller
 * can resume from cached hidden states.
 */
public final class EncoderForward {

    private final EncoderState state;
    private final EncoderConfig config;

    public EncoderForward(EncoderState state) {
        this.state = state;
        this.config = state.base().config();
    }

    public EncoderConfig config() {
        return config;
    }

    /** Writes the normalised embeddings of the batch's tokens into the workspace's hidden state (stage 0). */
    public void embed(EncoderBatch batch, EncoderWorkspace ws) {
        requireFits(batch, ws);
        int h = config.hiddenSize();
        WeightMatrix words = state.matrix("embed", -1);
        WeightMatrix positions = state.matrix("pos_embed", -1);
        WeightMatrix types = state.matrix("type_embed", -1);
        float[] norm = state.vector("embed_norm.weight", -1);
        float[] normBias = state.vector("embed_norm.bias", -1);
        float[] row = ws.projected;
        for (int s = 0; s < batch.size(); s++) {
            int[] ids = batch.sequences()[s];
            for (int p = 0; p < ids.length; p++) {
                int id = ids[p];
                if (id < 0 || id >= words.rows()) {
                    throw new InvalidInputException("token id " + id + " at position " + p + " is outside the vocabulary"
                            + " of " + words.rows() + " (" + state.base().description() + ")");
                }
                for (int i = 0; i < h; i++) {
                    float word = words.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) id * h + i);
                    float type = types.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                    float position = positions.data().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) p * h + i);
                    row[i] = (word + type) + position;
                }
                VectorMath.layerNorm(row, 0, norm, normBias, config.layerNormEps(), ws.hidden,
                        (batch.offsets()[s] + p) * h);
            }
        }
    }

    /** Runs layers {@code from .. to−1} on the workspace's hidden state of the batch. */
    public void layers(int from, int to, EncoderBatch batch, EncoderWorkspace ws) {
        requireFits(batch, ws);
        for (int l = from; l < to; l++) {
            layer(l, batch, ws);
        }
    }

    private void layer(int l, EncoderBatch batch, EncoderWorkspace ws) {
        int t = batch.rows();
        project(ws.hidden, t, state.matrix("q", l), state.vector("q.bias", l), ws.q);
        project(ws.hidden, t, state.matrix("k", l), state.vector("k.bias", l), ws.k);
        project(ws.hidden, t, state.matrix("v", l), state.vector("v.bias", l), ws.v);
        for (int s = 0; s < batch.size(); s++) {
            attention(batch.offsets()[s], batch.sequences()[s].length, ws);
        }
        multiply(ws.context, t, state.matrix("o", l), ws.projected);
        addAndNormalize(ws, t, state.vector("o.bias", l), state.vector("attention_norm.weight", l),
                state.vector("attention_norm.bias", l));

        multiply(ws.hidden, t, state.matrix("up", l), ws.intermediate);
        Gelu.addBiasAndApply(ws.intermediate, t, state.vector("up.bias", l));
        multiply(ws.intermediate, t, state.matrix("down", l), ws.projected);
        addAndNormalize(ws, t, state.vector("down.bias", l), state.vector("output_norm.weight", l),
                state.vector("output_norm.bias", l));
    }

    /**
     * {@code hidden = LN(hidden + (projected + bias))}: BERT's post-LN residual ({@code BertSelfOutput},
     * {@code BertOutput}), the projection's bias added in the same pass as the residual.
     */
    private void addAndNormalize(EncoderWorkspace ws, int t, float[] projectionBias, float[] weight, float[] bias) {
        VectorMath.addBiasAndResidual(ws.projected, projectionBias, ws.hidden, t);
        VectorMath.layerNormRows(ws.projected, t, weight, bias, config.layerNormEps(), ws.hidden);
    }

    /** {@code out[t × w.rows] = in[t × w.cols] · wᵀ + bias}. */
    private static void project(float[] in, int t, WeightMatrix w, float[] bias, float[] out) {
        multiply(in, t, w, out);
        VectorMath.addBias(out, t, bias);
    }

    /** {@code out[t × w.rows] = in[t × w.cols] · wᵀ}; the caller adds the bias. */
    private static void multiply(float[] in, int t, WeightMatrix w, float[] out) {
        Sgemm.multiplyTransposed(t, w.rows(), w.cols(), 1f, MemorySegment.ofArray(in), w.cols(),
                w.data(), w.cols(), 0f, MemorySegment.ofArray(out), w.rows());
    }

    /** Scaled dot-product attention of one sequence (rows {@code first .. first+n−1}), every head. */
    private void attention(int first, int n, EncoderWorkspace ws) {
        int hd = config.headDim();
        int h = config.hiddenSize();
        float scale = (float) (1.0 / Math.sqrt(hd));
        long rowBytes = (long) first * h * Float.BYTES;
        MemorySegment q = MemorySegment.ofArray(ws.q).asSlice(rowBytes);
        MemorySegment k = MemorySegment.ofArray(ws.k).asSlice(rowBytes);
        MemorySegment v = MemorySegment.ofArray(ws.v).asSlice(rowBytes);
        MemorySegment out = MemorySegment.ofArray(ws.context).asSlice(rowBytes);
        MemorySegment scores = MemorySegment.ofArray(ws.scores);
        for (int head = 0; head < config.heads(); head++) {
            long headBytes = (long) head * hd * Float.BYTES;
            Sgemm.multiplyTransposed(n, n, hd, scale, q.asSlice(headBytes), h, k.asSlice(headBytes), h, 0f, scores, n);
            for (int i = 0; i < n; i++) {
                VectorMath.softmaxInPlace(ws.scores, i * n, n);
            }
            Sgemm.multiply(n, hd, n, 1f, scores, n, v.asSlice(headBytes), h, 0f, out.asSlice(headBytes), h);
        }
    }

    private void requireFits(EncoderBatch batch, EncoderWorkspace ws) {
        if (batch.maxLength() > config.maxPositions()) {
            throw new InvalidInputException("a sequence of " + batch.maxLength() + " tokens exceeds max_position_embeddings "
                    + config.maxPositions() + " of " + config.source());
        }
        if (batch.rows() > ws.maxRows || batch.maxLength() > ws.maxLength) {
            throw new IllegalArgumentException("batch of " + batch.rows() + " tokens (longest " + batch.maxLength()
                    + ") exceeds the workspace (" + ws.maxRows + ", " + ws.maxLength + ")");
        }
    }
}
