package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.kernel.Sgemm;
import dev.lasermesh.core.eval.kernel.VectorMath;
import dev.lasermesh.core.model.ModelConfig;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The forward pass of a Llama-family decoder as transformers' {@code LlamaForCausalLM} computes it
 * (eager attention, float32): embedding → per layer {@code x += o(attn(RoPE(q(n₁x)), RoPE(k(n₁x)), v(n₁x)))},
 * {@code x += down(silu(gate(n₂x)) ⊙ up(n₂x))} → final RMSNorm → head. Grouped-query attention: query
 * head h reads key/value head {@code h / (heads / kv_heads)}; causal mask; scores scaled by
 * 1/√head_dim (Vaswani et al. 2017, eq. 1; Ainslie et al. 2023 for GQA).
 *
 * <p>A whole window is processed at once: every linear layer is one matrix–matrix product over all
 * its positions ({@link Sgemm}; weights kept narrow are widened for it, see {@link WidenedCache}). One instance serves many threads; each thread brings its own
 * {@link Workspace}. Stages let a caller start from cached hidden states: stage l is the input of
 * layer l, stage L the input of the final norm.
 */
public final class DecoderForward {

    private final ModelState state;
    private final ModelConfig config;
    private final RotaryTable rope;

    /** A forward pass of {@code state} for windows of at most {@code maxLength} tokens. */
    public DecoderForward(ModelState state, int maxLength) {
        this.state = state;
        this.config = state.base().config();
        this.rope = RotaryTable.of(config, maxLength);
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Logits of every position of {@code tokens} (row-major [tokens × vocab]), computed with OpenBLAS
     * using {@code threads} threads. For tests and generation; scoring uses {@link #negativeLogLikelihood}.
     */
    public static float[] logits(ModelState state, int[] tokens, int threads) {
        DecoderForward f = new DecoderForward(state, tokens.length);
        Workspace ws = new Workspace(f.config, tokens.length);
        Sgemm.useThreadsForCaller(threads);
        f.embed(tokens, ws);
        f.layers(0, f.config.numHiddenLayers(), tokens.length, ws);
        float[] out = new float[tokens.length * f.config.vocabSize()];
        f.headLogits(0, tokens.length, ws, out);
        return out;
    }

    /** Writes the embedding rows of {@code tokens} into the workspace's hidden state (stage 0). */
    public void embed(int[] tokens, Workspace ws) {
        requireLength(tokens.length, ws);
        WeightMatrix e = state.embed();
        int h = config.hiddenSize();
        for (int p = 0; p < tokens.length; p++) {
            int id = tokens[p];
            if (id < 0 || id >= e.rows()) {
                throw new InvalidInputException("token id " + id + " at position " + p
                        + " is outside the vocabulary of " + e.rows() + " (" + state.base().description() + ")");
            }
            if (e.isFloat32()) {
                MemorySegment.copy(e.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, (long) id * h * Float.BYTES,
                        ws.hidden, p * h, h);
            } else {
                e.widenRows(id, 1, ws.hidden, p * h);
            }
        }
    }

    /** Runs layers {@code from .. to−1} on the workspace's hidden state of {@code length} rows. */
    public void layers(int from, int to, int length, Workspace ws) {
        requireLength(length, ws);
        for (int l = from; l < to; l++) {
            layer(state.layer(l), length, ws, LinearInputObserver.NONE);
        }
    }

    /**
     * Runs layer {@code layer} on the workspace's hidden state of {@code length} rows and shows
     * {@code observer} the input of each of its linears (calibration: DESIGN §7.4).
     */
    public void layerObserved(int layer, int length, Workspace ws, LinearInputObserver observer) {
        requireLength(length, ws);
        layer(state.layer(layer), length, ws, observer);
    }

    private void layer(LayerWeights w, int t, Workspace ws, LinearInputObserver observer) {
        int h = config.hiddenSize();
        for (int p = 0; p < t; p++) {
            VectorMath.rmsNorm(ws.hidden, p * h, w.inputNorm(), (float) config.rmsNormEps(), ws.normed, p * h);
        }
        observer.observe(LinearInput.ATTENTION_INPUT, ws.normed, t, h);
        project(ws.normed, t, w.q(), w.qBias(), ws.q);
        project(ws.normed, t, w.k(), w.kBias(), ws.k);
        project(ws.normed, t, w.v(), w.vBias(), ws.v);
        rope.apply(ws.q, t, config.numAttentionHeads());
        rope.apply(ws.k, t, config.numKeyValueHeads());
        attention(t, ws);
        observer.observe(LinearInput.ATTENTION_OUTPUT, ws.attention, t, config.numAttentionHeads() * config.headDim());
        project(ws.attention, t, w.o(), w.oBias(), ws.projected);
        VectorMath.addInPlace(ws.hidden, ws.projected, t * h);

        for (int p = 0; p < t; p++) {
            VectorMath.rmsNorm(ws.hidden, p * h, w.postAttentionNorm(), (float) config.rmsNormEps(), ws.normed, p * h);
        }
        observer.observe(LinearInput.MLP_INPUT, ws.normed, t, h);
        project(ws.normed, t, w.gate(), null, ws.gate);
        project(ws.normed, t, w.up(), null, ws.up);
        VectorMath.siluMultiply(ws.gate, ws.up, t * config.intermediateSize());
        observer.observe(LinearInput.MLP_HIDDEN, ws.gate, t, config.intermediateSize());
        project(ws.gate, t, w.down(), null, ws.projected);
        VectorMath.addInPlace(ws.hidden, ws.projected, t * h);
    }

    /** {@code out[t × w.rows] = in[t × w.cols] · wᵀ (+ bias)}: a linear layer over all positions. */
    private void project(float[] in, int t, WeightMatrix w, float[] bias, float[] out) {
        Sgemm.multiplyTransposed(t, w.rows(), w.cols(), 1f, MemorySegment.ofArray(in), w.cols(),
                operand(w), w.cols(), 0f, MemorySegment.ofArray(out), w.rows());
        if (bias != null) {
            VectorMath.addBias(out, t, bias);
        }
    }

    /** The float32 values of a weight: as bound, or widened by the model's cache when kept narrow. */
    private MemorySegment operand(WeightMatrix w) {
        return w.isFloat32() ? w.data() : MemorySegment.ofArray(state.base().widened(w));
    }

    private void attention(int t, Workspace ws) {
        int hd = config.headDim();
        int heads = config.numAttentionHeads();
        int qWidth = heads * hd;
        int kvWidth = config.numKeyValueHeads() * hd;
        int group = config.queriesPerKeyValueHead();
        float scale = (float) (1.0 / Math.sqrt(hd));
        MemorySegment q = MemorySegment.ofArray(ws.q);
        MemorySegment k = MemorySegment.ofArray(ws.k);
        MemorySegment v = MemorySegment.ofArray(ws.v);
        MemorySegment scores = MemorySegment.ofArray(ws.scores);
        MemorySegment out = MemorySegment.ofArray(ws.attention);
        for (int head = 0; head < heads; head++) {
            long kvOffset = (long) (head / group) * hd * Float.BYTES;
            Sgemm.multiplyTransposed(t, t, hd, scale, q.asSlice((long) head * hd * Float.BYTES), qWidth,
                    k.asSlice(kvOffset), kvWidth, 0f, scores, t);
            for (int i = 0; i < t; i++) {
                VectorMath.softmaxInPlace(ws.scores, i * t, i + 1);
                Arrays.fill(ws.scores, i * t + i + 1, (i + 1) * t, 0f);
            }
            Sgemm.multiply(t, hd, t, 1f, scores, t, v.asSlice(kvOffset), kvWidth, 0f,
                    out.asSlice((long) head * hd * Float.BYTES), qWidth);
        }
    }

    /**
     * Sum of {@code −log p(tokens[p+1] | tokens[..p])} over positions {@code firstScored ≤ p < length−1},
     * from the final hidden state (stage L) in the workspace. Log-softmax and the sum are float64.
     */
    public double negativeLogLikelihood(int[] tokens, int firstScored, Workspace ws) {
        int vocab = config.vocabSize();
        int last = tokens.length - 1;
        double sum = 0.0;
        for (int from = firstScored; from < last; from += Workspace.LOGIT_ROWS) {
            int rows = Math.min(Workspace.LOGIT_ROWS, last - from);
            headLogits(from, rows, ws, ws.logits);
            for (int r = 0; r < rows; r++) {
                int offset = r * vocab;
                double logZ = VectorMath.logSumExp(ws.logits, offset, vocab);
                sum += logZ - ws.logits[offset + tokens[from + r + 1]];
            }
        }
        return sum;
    }

    /**
     * Where the float32 pass of {@code tokens} first stops being finite, for the message of a window
     * whose likelihood is not finite (it reruns the window): the stage whose hidden state first holds a
     * NaN or an infinity (0 the embeddings, l the output of layer l−1), L + 1 when only the logits do,
     * or −1 when everything is finite.
     */
    public int firstNonFiniteStage(int[] tokens, Workspace ws) {
        int length = tokens.length;
        int layerCount = config.numHiddenLayers();
        embed(tokens, ws);
        for (int stage = 0; stage <= layerCount; stage++) {
            if (stage > 0) {
                layers(stage - 1, stage, length, ws);
            }
            if (VectorMath.indexOfNonFinite(MemorySegment.ofArray(ws.hidden), (long) length * config.hiddenSize()) >= 0) {
                return stage;
            }
        }
        for (int from = 0; from < length; from += Workspace.LOGIT_ROWS) {
            int rows = Math.min(Workspace.LOGIT_ROWS, length - from);
            headLogits(from, rows, ws, ws.logits);
            if (VectorMath.indexOfNonFinite(MemorySegment.ofArray(ws.logits), (long) rows * config.vocabSize()) >= 0) {
                return layerCount + 1;
            }
        }
        return -1;
    }

    /** Final norm and head for rows {@code from .. from+rows−1} of the hidden state into {@code out}. */
    private void headLogits(int from, int rows, Workspace ws, float[] out) {
        int h = config.hiddenSize();
        for (int r = 0; r < rows; r++) {
            VectorMath.rmsNorm(ws.hidden, (from + r) * h, state.finalNorm(), (float) config.rmsNormEps(), ws.normed, r * h);
        }
        WeightMatrix head = state.lmHead();
        Sgemm.multiplyTransposed(rows, head.rows(), h, 1f, MemorySegment.ofArray(ws.normed), h,
                operand(head), h, 0f, MemorySegment.ofArray(out), head.rows());
    }

    private void requireLength(int length, Workspace ws) {
        if (length > ws.maxLength || length > rope.length()) {
            throw new IllegalArgumentException("window of " + length + " tokens exceeds the prepared length "
                    + Math.min(ws.maxLength, rope.length()));
        }
    }
}
