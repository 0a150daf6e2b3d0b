package dev.lasermesh.core.eval.perplexity;

import dev.lasermesh.core.eval.forward.ModelState;
import java.util.Arrays;

/**
 * Hidden states of every window of a plan at a few "stages" (stage l = input of decoder layer l,
 * stage L = input of the final norm), computed for one reference state, so a state that differs from
 * it only in layers ≥ l resumes at the largest cached stage ≤ l instead of at the embeddings.
 *
 * <p>The memory bound decides how many stages are kept: each costs 4 · hidden_size · (tokens of all
 * windows) bytes. With room for every stage all of 1..L are kept; otherwise the stages are spread
 * evenly over 1..L−1, so no candidate recomputes more than about L / (stages + 1) extra layers. When
 * the bound does not hold even one stage the cache keeps none and every evaluation recomputes from
 * the embeddings (the documented fallback; results are the same, only slower).
 */
public final class HiddenStateCache {

    private final int[] stages;
    private final long bytes;
    private final int[] windowLengths;
    private final int hiddenSize;
    private float[][][] states;
    private ModelState reference;
    private WindowScore[] referenceScores;

    private HiddenStateCache(int[] stages, long bytesPerStage, int[] windowLengths, int hiddenSize) {
        this.stages = stages;
        this.bytes = bytesPerStage * stages.length;
        this.windowLengths = windowLengths;
        this.hiddenSize = hiddenSize;
    }

    /** A cache for {@code plan} holding as many stages as fit into {@code budgetBytes}. */
    static HiddenStateCache within(long budgetBytes, WindowPlan plan, int layers, int hiddenSize) {
        int[] lengths = plan.windows().stream().mapToInt(w -> w.tokens().length).toArray();
        long perStage = 4L * hiddenSize * Arrays.stream(lengths).asLongStream().sum();
        int count = perStage == 0 ? 0 : (int) Math.min(layers, Math.max(0, budgetBytes) / perStage);
        return new HiddenStateCache(chooseStages(count, layers), perStage, lengths, hiddenSize);
    }

    /** {@code count} stages among 1..L: all of them when count ≥ L, else evenly spaced in 1..L−1. */
    public static int[] chooseStages(int count, int layers) {
        if (count >= layers) {
            int[] all = new int[layers];
            Arrays.setAll(all, i -> i + 1);
            return all;
        }
        int[] s = new int[count];
        for (int j = 1; j <= count; j++) {
            s[j - 1] = (int) ((long) j * layers / (count + 1));
        }
        return s;
    }

    /** The stages kept, ascending. */
    int[] stages() {
        return stages.clone();
    }

    /** Bytes the cache holds once filled. */
    long bytes() {
        return bytes;
    }

    /**
     * Where an evaluation of {@code state} can start: the largest cached stage whose hidden states are
     * valid for it, 0 (the embeddings) when none is, or L + 1 when {@code state} is the reference itself.
     */
    int resumeStage(ModelState state, int layers) {
        if (reference == null) {
            return 0;
        }
        int firstChanged = state.firstChangedStage(reference);
        if (firstChanged > layers) {
            return layers + 1;
        }
        int best = 0;
        for (int s : stages) {
            if (s <= firstChanged) {
                best = s;
            }
        }
        return best;
    }

    /** The hidden state of a window at a stage: read when resuming, written by a reference pass. */
    float[] hidden(int stage, int window) {
        return states[Arrays.binarySearch(stages, stage)][window];
    }

    boolean isStage(int stage) {
        return Arrays.binarySearch(stages, stage) >= 0;
    }

    WindowScore[] referenceScores() {
        return referenceScores;
    }

    /** Prepares storage and forgets the reference until {@link #commit}: a failed pass leaves no stale states. */
    void beginRebuild() {
        reference = null;
        referenceScores = null;
        if (states == null) {
            states = new float[stages.length][windowLengths.length][];
            for (float[][] stage : states) {
                for (int w = 0; w < windowLengths.length; w++) {
                    stage[w] = new float[windowLengths[w] * hiddenSize];
                }
            }
        }
    }

    /** Declares the stored states (and window scores) to be those of {@code state}. */
    void commit(ModelState state, WindowScore[] scores) {
        reference = state;
        referenceScores = scores.clone();
    }
}
