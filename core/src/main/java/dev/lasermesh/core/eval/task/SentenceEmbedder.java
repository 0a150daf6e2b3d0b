package dev.lasermesh.core.eval.task;

import dev.lasermesh.core.eval.WorkerFutures;
import dev.lasermesh.core.eval.forward.EncoderBatch;
import dev.lasermesh.core.eval.forward.EncoderForward;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.eval.forward.EncoderWeights;
import dev.lasermesh.core.eval.forward.EncoderWorkspace;
import dev.lasermesh.core.eval.kernel.Sgemm;
import dev.lasermesh.core.eval.perplexity.HiddenStateCache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Sentence embeddings of a fixed list of tokenized texts for encoder states of one base model, batches
 * spread over a pool of threads (each batch wholly on one thread, OpenBLAS single-threaded inside it).
 *
 * <p>Batches are fixed groups of {@value #BATCH_SIZE} consecutive texts, so a text's embedding never
 * depends on scheduling, and a shard of the texts that starts at a multiple of {@value #BATCH_SIZE}
 * reproduces the embeddings of the whole run bit for bit (the pieces merge exactly). The threads take
 * the batches longest first, so no thread is left with a long batch after the others ran out of work
 * (the order of work changes no number).
 *
 * <p>Incremental evaluation, as {@code PerplexityEvaluator} does for the decoder: {@link #anchor}
 * computes a state's embeddings and keeps every batch's hidden state at the stages (layer inputs) the
 * memory bound allows; {@link #embed} of a state that differs from the anchored one only in layers ≥ l
 * resumes at the largest kept stage ≤ l, which gives the same numbers as a full pass since the same
 * operations run on the same stored values. Not for concurrent use by several callers.
 */
public final class SentenceEmbedder implements AutoCloseable {

    /** Texts per batch. */
    public static final int BATCH_SIZE = 16;

    private final EncoderWeights weights;
    private final SentencePooling pooling;
    private final List<EncoderBatch> batches;
    /** Batch indices, most tokens first: the order batches are handed to the threads. */
    private final int[] longestFirst;
    private final int maxRows;
    private final int maxLength;
    private final int layers;
    private final int[] stages;
    private final long cacheBytes;
    private final ExecutorService pool;
    private final ConcurrentLinkedQueue<EncoderWorkspace> workspaces = new ConcurrentLinkedQueue<>();
    private float[][][] cached;
    private EncoderState reference;
    private double[][] referenceEmbeddings;

    /**
     * @param weights    the base model every state overlays
     * @param pooling    how token states become a sentence vector
     * @param tokenized  the token ids of every text (special tokens included, already truncated)
     * @param threads    worker threads (batches in parallel)
     * @param cacheBytes memory bound of the hidden-state cache; 0 disables it
     */
    public SentenceEmbedder(EncoderWeights weights, SentencePooling pooling, List<int[]> tokenized, int threads,
                            long cacheBytes) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.weights = weights;
        this.pooling = pooling;
        this.layers = weights.config().layers();
        List<EncoderBatch> b = new ArrayList<>();
        long tokens = 0;
        for (int from = 0; from < tokenized.size(); from += BATCH_SIZE) {
            EncoderBatch batch = EncoderBatch.of(tokenized.subList(from, Math.min(tokenized.size(), from + BATCH_SIZE))
                    .toArray(int[][]::new));
            b.add(batch);
            tokens += batch.rows();
        }
        this.batches = List.copyOf(b);
        this.longestFirst = IntStream.range(0, b.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> b.get(i).rows()).reversed())
                .mapToInt(Integer::intValue).toArray();
        this.maxRows = b.stream().mapToInt(EncoderBatch::rows).max().orElse(1);
        this.maxLength = b.stream().mapToInt(EncoderBatch::maxLength).max().orElse(1);
        long perStage = 4L * weights.config().hiddenSize() * tokens;
        int count = perStage == 0 ? 0 : (int) Math.min(layers, Math.max(0, cacheBytes) / perStage);
        this.stages = HiddenStateCache.chooseStages(count, layers);
        this.cacheBytes = perStage * stages.length;
        AtomicInteger counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lasermesh-embed-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** How many texts are embedded. */
    public int size() {
        return batches.stream().mapToInt(EncoderBatch::size).sum();
    }

    /** Stages the cache keeps, ascending. */
    public int[] cachedStages() {
        return stages.clone();
    }

    /** Bytes the cache holds once a state is anchored. */
    public long cacheBytes() {
        return cacheBytes;
    }

    /** The embeddings of {@code state}, resuming from cached hidden states where valid; the cache is unchanged. */
    public double[][] embed(EncoderState state) {
        return run(state, false);
    }

    /** The embeddings of {@code state}, which becomes the cache's reference. */
    public double[][] anchor(EncoderState state) {
        return run(state, true);
    }

    /** The stage a state resumes at: 0 without a valid cached stage, L + 1 when it is the reference itself. */
    public int resumeStage(EncoderState state) {
        if (reference == null) {
            return 0;
        }
        int changed = state.firstChangedStage(reference);
        if (changed > layers) {
            return layers + 1;
        }
        int best = 0;
        for (int s : stages) {
            if (s <= changed) {
                best = s;
            }
        }
        return best;
    }

    private double[][] run(EncoderState state, boolean keep) {
        if (state.base() != weights) {
            throw new IllegalArgumentException("state overlays " + state.base().description()
                    + ", not the model of this embedder (" + weights.description() + ")");
        }
        int start = resumeStage(state);
        if (start > layers) {
            return referenceEmbeddings.clone();
        }
        if (keep) {
            reference = null;
            if (cached == null) {
                cached = new float[stages.length][batches.size()][];
            }
        }
        EncoderForward forward = new EncoderForward(state);
        double[][][] perBatch = new double[batches.size()][][];
        List<Future<?>> futures = new ArrayList<>();
        for (int b : longestFirst) {
            futures.add(pool.submit(() -> {
                perBatch[b] = embedBatch(forward, b, start, keep);
            }));
        }
        WorkerFutures.awaitAll(futures, "embedding");
        double[][] out = new double[size()][];
        int at = 0;
        for (double[][] batch : perBatch) {
            for (double[] e : batch) {
                out[at++] = e;
            }
        }
        if (keep) {
            reference = state;
            referenceEmbeddings = out.clone();
        }
        return out;
    }

    private double[][] embedBatch(EncoderForward forward, int index, int start, boolean keep) {
        EncoderBatch batch = batches.get(index);
        EncoderWorkspace ws = workspaces.poll();
        if (ws == null) {
            ws = new EncoderWorkspace(weights.config(), maxRows, maxLength);
        }
        try {
            Sgemm.useThreadsForCaller(1);
            if (start == 0) {
                forward.embed(batch, ws);
            } else {
                ws.restoreHidden(cached[stageIndex(start)][index]);
            }
            int at = start;
            if (keep) {
                for (int s = 0; s < stages.length; s++) {
                    if (stages[s] > at) {
                        forward.layers(at, stages[s], batch, ws);
                        cached[s][index] = ws.copyHidden(batch.rows());
                        at = stages[s];
                    }
                }
            }
            forward.layers(at, layers, batch, ws);
            int h = weights.config().hiddenSize();
            double[][] out = new double[batch.size()][];
            for (int s = 0; s < batch.size(); s++) {
                out[s] = pooling.pool(ws.hidden(), batch.offsets()[s], batch.sequences()[s].length, h);
            }
            return out;
        } finally {
            workspaces.add(ws);
        }
    }

    private int stageIndex(int stage) {
        for (int s = 0; s < stages.length; s++) {
            if (stages[s] == stage) {
                return s;
            }
        }
        throw new IllegalStateException("stage " + stage + " is not cached");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
