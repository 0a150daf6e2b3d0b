package dev.lasermesh.evaluator;

import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.StateScore;
import dev.lasermesh.core.eval.perplexity.WindowPlan;

/**
 * The evaluator of one shard of windows for one base model, anchored on the base model: built with one
 * full pass over the shard that keeps hidden states ({@link PerplexityEvaluator#anchor}), so a state
 * whose overlays all lie in layers ≥ l is scored from layer l on, and the base model itself not at all.
 * Holds a lease on its model for as long as it lives.
 */
final class ShardEvaluator implements AutoCloseable {

    /** A shard's sums and the rate at which they were computed. */
    record Score(StateScore state, double tokensPerSecond) {
    }

    private final LeasedCache.Lease<BaseModel> model;
    private final PerplexityEvaluator evaluator;
    private final int totalWindows;
    private final long windowTokens;
    private final double anchorTokensPerSecond;

    /**
     * @param model      the base model (released on close)
     * @param all        every window of the texts
     * @param key        the shard
     * @param threads    threads scoring windows in parallel
     * @param cacheBytes memory bound of the hidden states kept
     */
    ShardEvaluator(LeasedCache.Lease<BaseModel> model, WindowPlan all, ShardKey key, int threads, long cacheBytes) {
        this.model = model;
        this.totalWindows = all.windows().size();
        int first = Math.min(key.first(), totalWindows);
        int end = key.end() == null ? totalWindows : Math.min(key.end(), totalWindows);
        WindowPlan shard = all.range(first, end);
        this.windowTokens = shard.windows().stream().mapToLong(w -> w.tokens().length).sum();
        this.evaluator = new PerplexityEvaluator(model.value().weights(), shard, threads, cacheBytes);
        long start = System.nanoTime();
        evaluator.anchor(model.value().weights().baseState(), EvalProgress.NONE);
        this.anchorTokensPerSecond = rate(windowTokens, System.nanoTime() - start);
    }

    /** The unmodified base model, to which a task's overlays are applied. */
    ModelState baseState() {
        return model.value().weights().baseState();
    }

    /** W, the windows of all the texts (not only this shard's). */
    int totalWindows() {
        return totalWindows;
    }

    /**
     * The sums of {@code state} over this shard. The rate counts each window's tokens once per pass,
     * also for a pass resumed from cached hidden states; a state served wholly from the anchor (the
     * base model) reports the anchor pass's rate.
     */
    Score score(ModelState state) {
        long start = System.nanoTime();
        StateScore score = evaluator.score(state, EvalProgress.NONE);
        boolean recomputed = score.resumedFromStage() <= model.value().weights().config().numHiddenLayers();
        return new Score(score, recomputed ? rate(windowTokens, System.nanoTime() - start) : anchorTokensPerSecond);
    }

    private static double rate(long tokens, long nanos) {
        return tokens == 0 ? 0 : tokens / (Math.max(nanos, 1) / 1e9);
    }

    @Override
    public void close() {
        evaluator.close();
        model.close();
    }
}
