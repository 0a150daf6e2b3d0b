package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.forward.DecoderForward;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.forward.Workspace;
import dev.lasermesh.core.eval.kernel.Sgemm;
import dev.lasermesh.core.eval.perplexity.TokenWindow;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.model.MatrixRef;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass of the float32 forward pass over calibration windows, collecting for each selected linear
 * the statistics of its input X ({@link InputStatistics}) where DESIGN §7.4 takes it, from the
 * original model. The pass goes layer by layer: the hidden states of all windows advance one layer,
 * the statistics of that layer are written to the {@link CalibrationStore} and dropped, so memory
 * holds one layer's Gram matrices (a 7B model has 224 linears; SVD-LLM's own code keeps them all).
 * A {@link WindowPlan#shard shard} of the windows gives statistics that {@link CalibrationStore#merge}
 * combines with the other shards' into exactly those of one pass.
 */
public final class CalibrationPass {

    /** Receives progress: layers done of how many. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void layerDone(int done, int total);
    }

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
        Sgemm.useThreadsForCaller(threads);
        List<TokenWindow> windows = plan.windows();
        DecoderForward forward = new DecoderForward(weights.baseState(), plan.maxLength());
        Workspace ws = new Workspace(forward.config(), plan.maxLength());
        int hidden = forward.config().hiddenSize();
        float[][] states = new float[windows.size()][];
        for (int w = 0; w < windows.size(); w++) {
            int[] tokens = windows.get(w).tokens();
            forward.embed(tokens, ws);
            states[w] = new float[tokens.length * hidden];
            ws.saveHidden(states[w], tokens.length);
        }
        int last = ((TreeMap<Integer, Set<LinearInput>>) sites).lastKey();
        for (int layer = 0; layer <= last; layer++) {
            Set<LinearInput> wanted = sites.getOrDefault(layer, Set.of());
            Map<LinearInput, InputStatistics> stats = new EnumMap<>(LinearInput.class);
            for (int w = 0; w < windows.size(); w++) {
                int length = windows.get(w).tokens().length;
                ws.restoreHidden(states[w], length);
                forward.layerObserved(layer, length, ws, (site, rows, positions, width) -> {
                    if (wanted.contains(site)) {
                        stats.computeIfAbsent(site, s -> new InputStatistics(width)).add(rows, positions);
                    }
                });
                ws.saveHidden(states[w], length);
            }
            if (!stats.isEmpty()) {
                store.write(layer, stats);
            }
            progress.layerDone(layer + 1, last + 1);
        }
        return store;
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
