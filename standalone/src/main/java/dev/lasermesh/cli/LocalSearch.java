package dev.lasermesh.cli;

import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.PerplexityResult;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.EvaluationResult;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchMachine;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SearchSpec;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.search.TraceEntry;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a search state machine ({@code core.search}) in this process, the standalone's counterpart
 * of the gateway's Kafka-driven orchestration: it answers each evaluation request the machine issues
 * by scoring the model state (base model + the requested reconstructions as overlays) with the Java
 * forward pass, one request at a time, each parallel over windows.
 *
 * <p>Incremental evaluation: each split's evaluator is anchored on the search's current state (the
 * base model, then each accepted state), so a candidate in layer ℓ recomputes only layers ≥ ℓ.
 */
final class LocalSearch implements AutoCloseable {

    /** Receives each finished evaluation. */
    interface Listener {
        void evaluated(EvaluationRequest request, double perplexity, List<TraceEntry> trace);
    }

    private final ModelSource model;
    private final DecoderWeights weights;
    private final WindowPlan plan;
    private final MatrixTruncator truncator;
    private final Map<String, MatrixAnalysis> analyses;
    private final int threads;
    private final long cacheBytes;
    private final Map<Split, PerplexityEvaluator> evaluators = new EnumMap<>(Split.class);
    private final Map<Replacement, float[]> reconstructions;

    LocalSearch(ModelSource model, DecoderWeights weights, WindowPlan plan, MatrixTruncator truncator,
                List<MatrixAnalysis> analyses, int threads, long cacheBytes, long reconstructionBytes) {
        this.model = model;
        this.weights = weights;
        this.plan = plan;
        this.truncator = truncator;
        this.analyses = new LinkedHashMap<>();
        analyses.forEach(a -> this.analyses.put(a.matrix().name(), a));
        this.threads = threads;
        this.cacheBytes = cacheBytes;
        this.reconstructions = new BoundedCache<>(reconstructionBytes);
    }

    /** Runs {@code spec} to the end and returns its outcome. */
    SearchOutcome run(SearchSpec spec, Listener listener) {
        SearchMachine machine = SearchMachine.start(spec);
        while (!machine.isDone()) {
            for (EvaluationRequest request : machine.issue(1)) {
                ModelState state = state(request.replacements());
                PerplexityEvaluator evaluator = evaluator(request);
                boolean baseline = request.replacements().isEmpty();
                PerplexityResult result = evaluator.plan().result(baseline
                        ? evaluator.anchor(state, EvalProgress.NONE).sums()
                        : evaluator.score(state, EvalProgress.NONE).sums());
                int traced = machine.trace().size();
                machine.record(new EvaluationResult(request.id(), result.perplexity()));
                List<TraceEntry> trace = machine.trace();
                if (trace.size() > traced && trace.getLast().accepted() && !machine.isDone()) {
                    evaluator.anchor(state, EvalProgress.NONE);
                }
                listener.evaluated(request, result.perplexity(), trace);
            }
        }
        return machine.outcome();
    }

    private PerplexityEvaluator evaluator(EvaluationRequest request) {
        return evaluators.computeIfAbsent(request.split(), split -> {
            int total = plan.windows().size();
            WindowPlan windows = plan.range(request.firstWindow(total), request.endWindow(total));
            return new PerplexityEvaluator(weights, windows, threads, cacheBytes);
        });
    }

    private ModelState state(List<Replacement> replacements) {
        ModelState state = weights.baseState();
        for (Replacement r : replacements) {
            state = state.with(r.matrix(), reconstruction(r));
        }
        return state;
    }

    private float[] reconstruction(Replacement r) {
        float[] cached = reconstructions.get(r);
        if (cached != null) {
            return cached;
        }
        MatrixAnalysis analysis = analyses.get(r.matrix());
        float[] values = truncator.asWritten(model, analysis.matrix(),
                analysis.summary().orElseThrow().singularValues(), r.rank());
        reconstructions.put(r, values);
        return values;
    }

    @Override
    public void close() {
        evaluators.values().forEach(PerplexityEvaluator::close);
    }

    /**
     * Reconstructions recently used, least recently used evicted past a byte bound: the accepted
     * matrices are used by every later request, so they stay; a rejected candidate's values go.
     */
    private static final class BoundedCache<K> extends LinkedHashMap<K, float[]> {
        private final long maxBytes;
        private long bytes;

        BoundedCache(long maxBytes) {
            super(16, 0.75f, true);
            this.maxBytes = maxBytes;
        }

        @Override
        public float[] put(K key, float[] value) {
            float[] old = super.put(key, value);
            bytes += 4L * value.length - (old == null ? 0 : 4L * old.length);
            return old;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, float[]> eldest) {
            if (bytes > maxBytes && size() > 1) {
                bytes -= 4L * eldest.getValue().length;
                return true;
            }
            return false;
        }
    }
}
