package dev.lasermesh.core.eval.forward;

/**
 * Scratch arrays of one thread for batches of up to {@code maxRows} tokens and sequences of up to
 * {@code maxLength}, reused batch after batch so the forward pass allocates nothing per layer.
 */
public final class EncoderWorkspace {

    final int maxRows;
    final int maxLength;
    final int hiddenSize;
    final float[] hidden;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] context;
    final float[] scores;
    final float[] intermediate;
    final float[] projected;

    public EncoderWorkspace(EncoderConfig c, int maxRows, int maxLength) {
        this.maxRows = maxRows;
        this.maxLength = maxLength;
        int h = c.hiddenSize();
        this.hiddenSize = h;
        hidden = new float[maxRows * h];
        q = new float[maxRows * h];
        k = new float[maxRows * h];
        v = new float[maxRows * h];
        context = new float[maxRows * h];
        scores = new float[maxLength * maxLength];
        intermediate = new float[maxRows * c.intermediate()];
        projected = new float[maxRows * h];
    }

    /** The hidden state of the first {@code rows} tokens, copied (a stage to cache). */
    public float[] copyHidden(int rows) {
        float[] copy = new float[rows * hiddenSize];
        System.arraycopy(hidden, 0, copy, 0, copy.length);
        return copy;
    }

    /** Replaces the hidden state by a cached one. */
    public void restoreHidden(float[] source) {
        System.arraycopy(source, 0, hidden, 0, source.length);
    }

    /** The hidden state (read-only use: pooling). */
    public float[] hidden() {
        return hidden;
    }
}
