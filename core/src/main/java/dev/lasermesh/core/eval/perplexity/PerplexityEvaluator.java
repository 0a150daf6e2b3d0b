package dev.lasermesh.core.eval.perplexity;

import dev.lasermesh.core.eval.EvalInputException;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.ForwardWorkers;
import dev.lasermesh.core.eval.WorkerFutures;
import dev.lasermesh.core.eval.forward.DecoderForward;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.forward.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Scores the windows of a plan for model states of one base model, windows spread over
 * {@link ForwardWorkers} (each window wholly on one thread, OpenBLAS single-threaded inside it, so a
 * window's numbers never depend on scheduling or on which other windows are evaluated with it).
 *
 * <p>Incremental evaluation: {@link #anchor} scores a state and keeps hidden states of all windows at
 * the stages the cache's memory bound allows ({@link HiddenStateCache}); {@link #score} of a later
 * state that differs from the anchored one only in layers ≥ l resumes at the largest kept stage ≤ l.
 * The result is bit for bit that of a full pass, since the resumed computation is the same sequence of
 * operations on the same stored values. A search anchors its current best state, scores candidates
 * with {@link #score} (concurrently if it likes) and anchors a candidate when it accepts it.
 */
public final class PerplexityEvaluator implements AutoCloseable {

    private final DecoderWeights weights;
    private final WindowPlan plan;
    private final int layers;
    private final ForwardWorkers workers;
    private final HiddenStateCache cache;
    private final ReadWriteLock cacheLock = new ReentrantReadWriteLock();

    /**
     * @param weights    the base model every evaluated state overlays
     * @param plan       the windows to score
     * @param threads    worker threads (windows evaluated in parallel)
     * @param cacheBytes memory bound of the hidden-state cache; 0 disables it
     */
    public PerplexityEvaluator(DecoderWeights weights, WindowPlan plan, int threads, long cacheBytes) {
        this.weights = weights;
        this.plan = plan;
        this.layers = weights.config().numHiddenLayers();
        this.cache = HiddenStateCache.within(cacheBytes, plan, layers, weights.config().hiddenSize());
        this.workers = new ForwardWorkers(weights.config(), plan.maxLength(), threads, "lasermesh-eval");
    }

    public WindowPlan plan() {
        return plan;
    }

    /** Stages (layer inputs) the cache keeps for every window, ascending; empty when the bound is too small. */
    public int[] cachedStages() {
        return cache.stages();
    }

    /** Bytes the cache holds once a state is anchored. */
    public long cacheBytes() {
        return cache.bytes();
    }

    /** Perplexity of {@code state} (uses the cache, does not change it). */
    public PerplexityResult evaluate(ModelState state, EvalProgress progress) {
        return plan.result(score(state, progress).sums());
    }

    /** Sums of {@code state}, resuming from cached hidden states where they are valid; the cache is unchanged. */
    public StateScore score(ModelState state, EvalProgress progress) {
        cacheLock.readLock().lock();
        try {
            return run(state, progress, false);
        } finally {
            cacheLock.readLock().unlock();
        }
    }

    /** Sums of {@code state}, which becomes the cache's reference: its hidden states are kept for later scores. */
    public StateScore anchor(ModelState state, EvalProgress progress) {
        cacheLock.writeLock().lock();
        try {
            return run(state, progress, true);
        } finally {
            cacheLock.writeLock().unlock();
        }
    }

    private StateScore run(ModelState state, EvalProgress progress, boolean keep) {
        if (state.base() != weights) {
            throw new IllegalArgumentException("state overlays " + state.base().description()
                    + ", not the model of this evaluator (" + weights.description() + ")");
        }
        int start = cache.resumeStage(state, layers);
        List<TokenWindow> windows = plan.windows();
        if (start > layers) {
            progress.windowsDone(windows.size(), windows.size());
            return new StateScore(sum(cache.referenceScores()), start);
        }
        if (keep) {
            cache.beginRebuild();
        }
        DecoderForward forward = new DecoderForward(state, plan.maxLength());
        WindowScore[] scores = new WindowScore[windows.size()];
        Object progressLock = new Object();
        int[] done = {0};
        List<Future<?>> futures = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            int w = i;
            futures.add(workers.submit(ws -> {
                scores[w] = scoreWindow(forward, w, start, keep, ws);
                synchronized (progressLock) {
                    progress.windowsDone(++done[0], windows.size());
                }
            }));
        }
        WorkerFutures.awaitAll(futures, "window evaluation");
        if (keep) {
            cache.commit(state, scores);
        }
        return new StateScore(sum(scores), start);
    }

    private WindowScore scoreWindow(DecoderForward forward, int index, int start, boolean keep, Workspace ws) {
        TokenWindow w = plan.windows().get(index);
        int length = w.tokens().length;
        if (start == 0) {
            forward.embed(w.tokens(), ws);
        } else {
            ws.restoreHidden(cache.hidden(start, index), length);
        }
        int at = start;
        if (keep) {
            for (int stage : cache.stages()) {
                if (stage > at) {
                    forward.layers(at, stage, length, ws);
                    ws.saveHidden(cache.hidden(stage, index), length);
                    at = stage;
                }
            }
        }
        forward.layers(at, layers, length, ws);
        double nll = forward.negativeLogLikelihood(w.tokens(), w.firstScored(), ws);
        if (!Double.isFinite(nll)) {
            throw overflow(forward.firstNonFiniteStage(w.tokens(), ws), index);
        }
        return new WindowScore(nll, w.scoredCount());
    }

    /**
     * A window whose likelihood is not finite: the float32 forward pass (float32, as transformers
     * computes it) overflowed. There is no perplexity to report — not +∞, since what an exact pass would
     * give is unknown (a later RMSNorm may well scale a huge hidden state back) — so the model is
     * refused, naming where the pass first overflowed.
     */
    private EvalInputException overflow(int stage, int window) {
        String where = stage < 0 ? "the log-likelihood" : stage == 0 ? "the embeddings"
                : stage <= layers ? "the output of layer " + (stage - 1) : "the logits";
        return new EvalInputException(weights.description() + ": the float32 forward pass overflows (" + where
                + " of window " + window + " holds NaN or infinite values); the weights are too large for float32"
                + " arithmetic, so the model has no perplexity");
    }

    private static PartialSums sum(WindowScore[] scores) {
        PartialSums s = PartialSums.EMPTY;
        for (WindowScore w : scores) {
            s = s.plus(w);
        }
        return s;
    }

    @Override
    public void close() {
        workers.close();
    }
}
