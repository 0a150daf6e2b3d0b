package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.ForwardWorkers;
import dev.lasermesh.core.eval.WorkerFutures;
import dev.lasermesh.core.eval.forward.DecoderForward;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.perplexity.TokenWindow;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One pass of the float32 forward pass over calibration windows, collecting for each selected linear
 * the statistics of its input X ({@link InputStatistics}) where DESIGN §7.4 takes it, from the
 * original model. The pass goes layer by layer: the hidden states of all windows advance one layer,
 * the statistics of that layer are written to the {@link CalibrationStore} and dropped, so memory
 * holds one layer's Gram matrices (a 7B model has 224 linears; SVD-LLM's own code keeps them all).
 *
 * <p>Threads as the perplexity evaluator's ({@link ForwardWorkers}: one window per thread, OpenBLAS
 * single-threaded in it; two BLAS threads on each of the many small products of a window mostly waited
 * on each other). Per layer, a chunk of windows goes through the layer in parallel, each worker widening
 * its window's wanted inputs to float64 into the rows of the window's block with their column sums
 * ({@link ObservedInput}, at most {@value #CHUNK_BYTES} bytes a chunk); then the workers add those blocks'
 * XᵀX and the windows' sums to the layer's one accumulator per site, each worker a band of its rows,
 * every entry taking the blocks in order ({@link InputStatistics#add(List, ForwardWorkers)}). The
 * statistics are therefore bit for bit those of one thread adding block after block, whatever the
 * number of threads, and memory holds one accumulator per site, not one per worker. A block is
 * {@link #blockWindows} consecutive windows, about {@value #BLOCK_ROWS} rows: one {@code dgemm} of that
 * depth per band and block instead of one per window (deeper products run faster, and the double-double
 * additions that follow each product are a block's, not a window's; the README's {@code bench calibrate}
 * measures the gain). A small layer's statistics are written while the next layer is computed
 * ({@link LayerWriter}).
 * Shards of the windows cut on block boundaries ({@link #blockWindows}) give statistics that
 * {@link CalibrationStore#merge} combines with the other shards' into exactly those of one pass.
 */
public final class CalibrationPass {

    /** Receives progress: layers done of how many. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void layerDone(int done, int total);
    }

    /** The most memory the observed layer inputs of a chunk of windows take before they are added to the statistics. */
    private static final long CHUNK_BYTES = 128L << 20;

    /** About how many rows of X a block of windows holds ({@link #blockWindows}). */
    public static final int BLOCK_ROWS = 512;

    /** The largest layer statistics written while the next layer is computed. */
    private static final long WRITE_BEHIND_BYTES = 256L << 20;

    private CalibrationPass() {
    }

    /**
     * Calibrates {@code matrices} of {@code weights} on the windows of {@code plan} into {@code folder}.
     *
     * @throws InvalidInputException when a matrix is not one of the seven linears of a decoder layer
     */
    public static CalibrationStore run(DecoderWeights weights, WindowPlan plan, Collection<MatrixRef> matrices,
                                       Path folder, int threads, Progress progress) {
        Map<Integer, Set<LinearInput>> sites = sitesByLayer(matrices);
        CalibrationStore store = new CalibrationStore(folder);
        if (sites.isEmpty()) {
            return store;
        }
        List<TokenWindow> windows = plan.windows();
        DecoderForward forward = new DecoderForward(weights.baseState(), plan.maxLength());
        ModelConfig config = forward.config();
        int hidden = config.hiddenSize();
        float[][] states = new float[windows.size()][];
        try (ForwardWorkers workers = new ForwardWorkers(config, plan.maxLength(), threads, "lasermesh-calibrate");
             LayerWriter writer = new LayerWriter(store)) {
            workers.forEachWindow(windows.size(), (w, ws) -> {
                int[] tokens = windows.get(w).tokens();
                forward.embed(tokens, ws);
                states[w] = new float[tokens.length * hidden];
                ws.saveHidden(states[w], tokens.length);
            }, "calibration embedding");
            int block = blockWindows(plan.spec().window());
            int chunk = chunkWindows(config, plan.maxLength(), block);
            int last = ((TreeMap<Integer, Set<LinearInput>>) sites).lastKey();
            for (int layer = 0; layer <= last; layer++) {
                Set<LinearInput> wanted = sites.getOrDefault(layer, Set.of());
                Map<LinearInput, InputStatistics> stats = new EnumMap<>(LinearInput.class);
                for (int from = 0; from < windows.size(); from += chunk) {
                    observeChunk(forward, layer, windows, states, from, Math.min(windows.size(), from + chunk), block,
                            wanted, stats, workers);
                }
                if (!stats.isEmpty()) {
                    writer.write(layer, stats);
                }
                progress.layerDone(layer + 1, last + 1);
            }
        }
        return store;
    }

    /**
     * Windows per block of a plan whose windows hold {@code window} tokens: about {@value #BLOCK_ROWS} rows,
     * at least one window. A function of the protocol's window alone, so every shard of a plan cuts its
     * blocks where one pass over the plan does, as long as the shard is cut on block boundaries.
     */
    public static int blockWindows(int window) {
        return Math.max(1, BLOCK_ROWS / Math.max(1, window));
    }

    /**
     * Advances windows from..to−1 through {@code layer}, in parallel, keeping the wanted inputs of each in
     * its block of {@code block} windows ({@link ObservedInput}), then adds those to the statistics in order.
     */
    private static void observeChunk(DecoderForward forward, int layer, List<TokenWindow> windows, float[][] states,
                                     int from, int to, int block, Set<LinearInput> wanted,
                                     Map<LinearInput, InputStatistics> stats, ForwardWorkers workers) {
        int blocks = (to - from + block - 1) / block;
        ObservedInput[][] inputs = new ObservedInput[LinearInput.values().length][blocks];
        try {
            for (int b = 0; b < blocks; b++) {
                int first = from + b * block;
                int[] rows = windows.subList(first, Math.min(to, first + block)).stream()
                        .mapToInt(w -> w.tokens().length).toArray();
                for (LinearInput site : wanted) {
                    inputs[site.ordinal()][b] = ObservedInput.block(rows, site.width(forward.config()));
                }
            }
            workers.forEachWindow(to - from, (i, ws) -> {
                int length = windows.get(from + i).tokens().length;
                ws.restoreHidden(states[from + i], length);
                forward.layerObserved(layer, length, ws, (site, x, positions, width) -> {
                    if (wanted.contains(site)) {
                        inputs[site.ordinal()][i / block].widen(i % block, x);
                    }
                });
                ws.saveHidden(states[from + i], length);
            }, "calibration forward");
            for (LinearInput site : wanted) {
                List<ObservedInput> observed = Arrays.asList(inputs[site.ordinal()]);
                stats.computeIfAbsent(site, s -> new InputStatistics(observed.getFirst().width()))
                        .add(observed, workers);
            }
        } finally {
            for (ObservedInput[] site : inputs) {
                for (ObservedInput b : site) {
                    if (b != null) {
                        b.close();
                    }
                }
            }
        }
    }

    /**
     * Writes each layer's statistics to the store. A layer of at most {@value #WRITE_BEHIND_BYTES} bytes
     * is written by a thread of its own while the workers go on with the next layer (writing and syncing
     * SmolLM2-135M's 53 MB a layer took about a tenth of the pass, the workers idle); a larger one is written
     * before the pass goes on, so memory holds at most one layer's statistics plus that bound.
     */
    private static final class LayerWriter implements AutoCloseable {

        private final CalibrationStore store;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("lasermesh-calibrate-write").factory());
        private Future<?> writing = CompletableFuture.completedFuture(null);

        LayerWriter(CalibrationStore store) {
            this.store = store;
        }

        void write(int layer, Map<LinearInput, InputStatistics> stats) {
            awaitWriting();
            long bytes = 0;
            for (InputStatistics s : stats.values()) {
                bytes += 2L * Double.BYTES * s.width() * s.width();
            }
            if (bytes <= WRITE_BEHIND_BYTES) {
                writing = thread.submit(() -> store.write(layer, stats));
            } else {
                store.write(layer, stats);
            }
        }

        private void awaitWriting() {
            WorkerFutures.awaitAll(List.of(writing), "writing calibration statistics");
        }

        /** Waits for the last write (its failure, if any, is the pass's) and ends the thread. */
        @Override
        public void close() {
            try {
                awaitWriting();
            } finally {
                thread.shutdownNow();
            }
        }
    }

    /**
     * Windows whose observed layer inputs, widened to float64, fit in {@value #CHUNK_BYTES} bytes, a whole
     * number of blocks of {@code block} windows (at least one block).
     */
    private static int chunkWindows(ModelConfig config, int maxLength, int block) {
        long widths = 0;
        for (LinearInput site : LinearInput.values()) {
            widths += site.width(config);
        }
        long blocks = CHUNK_BYTES / (Double.BYTES * widths * maxLength * block);
        return (int) Math.max(block, Math.min(Integer.MAX_VALUE / block, blocks) * block);
    }

    private static Map<Integer, Set<LinearInput>> sitesByLayer(Collection<MatrixRef> matrices) {
        TreeMap<Integer, Set<LinearInput>> sites = new TreeMap<>();
        for (MatrixRef m : matrices) {
            LinearInput site = LinearInput.ofTensor(m.name());
            if (site == null || m.layer() < 0) {
                throw new InvalidInputException("calibration covers the linears of decoder layers (q/k/v/o, "
                        + "gate/up/down); " + m.name() + " has no calibration input");
            }
            sites.computeIfAbsent(m.layer(), l -> java.util.EnumSet.noneOf(LinearInput.class)).add(site);
        }
        return sites;
    }
}
