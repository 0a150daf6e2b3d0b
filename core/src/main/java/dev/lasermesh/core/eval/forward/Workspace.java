package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ModelConfig;

/**
 * Scratch arrays for one window of up to {@code maxLength} tokens, reused window after window by one
 * thread so the forward pass allocates nothing per layer.
 */
public final class Workspace {

    /** Rows of logits computed per product; bounds the logits buffer for large vocabularies. */
    static final int LOGIT_ROWS = 128;

    final int maxLength;
    final int hiddenSize;
    final float[] hidden;
    final float[] normed;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] attention;
    final float[] scores;
    final float[] gate;
    final float[] up;
    final float[] projected;
    final float[] logits;

    /** Scratch space for windows of at most {@code maxLength} tokens of a model with this config. */
    public Workspace(ModelConfig c, int maxLength) {
        this.maxLength = maxLength;
        int h = c.hiddenSize();
        this.hiddenSize = h;
        int qWidth = c.numAttentionHeads() * c.headDim();
        int kvWidth = c.numKeyValueHeads() * c.headDim();
        hidden = new float[maxLength * h];
        normed = new float[maxLength * h];
        q = new float[maxLength * qWidth];
        k = new float[maxLength * kvWidth];
        v = new float[maxLength * kvWidth];
        attention = new float[maxLength * qWidth];
        scores = new float[maxLength * maxLength];
        gate = new float[maxLength * c.intermediateSize()];
        up = new float[maxLength * c.intermediateSize()];
        projected = new float[maxLength * h];
        logits = new float[Math.min(maxLength, LOGIT_ROWS) * c.vocabSize()];
    }

    /** Copies the hidden state of the first {@code length} positions into {@code target}. */
    public void saveHidden(float[] target, int length) {
        System.arraycopy(hidden, 0, target, 0, length * hiddenSize);
    }

    /** Replaces the hidden state of the first {@code length} positions by {@code source}. */
    public void restoreHidden(float[] source, int length) {
        System.arraycopy(source, 0, hidden, 0, length * hiddenSize);
    }
}
