package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code one-shot}: the base model and the model with every candidate applied, two independent
 * evaluations. Every candidate is accepted unconditionally; its trace entry carries the combined
 * perplexity and, as the value compared with, the base model's.
 */
final class OneShotStrategy implements Strategy {

    private final List<Candidate> candidates;
    private final EvaluationRequest baseline;
    private final EvaluationRequest combined;
    private final List<TraceEntry> trace = new ArrayList<>();
    private boolean done;
    private double baselinePerplexity;
    private double combinedPerplexity;

    OneShotStrategy(OneShotSpec spec) {
        this.candidates = spec.candidates();
        this.baseline = EvaluationRequest.of(Split.FULL, 0.0, List.of());
        this.combined = EvaluationRequest.of(Split.FULL, 0.0,
                candidates.stream().map(Candidate::replacement).toList());
    }

    @Override
    public List<EvaluationRequest> wanted() {
        return done ? List.of() : List.of(baseline, combined);
    }

    @Override
    public boolean wants(String requestId) {
        return !done && (baseline.id().equals(requestId) || combined.id().equals(requestId));
    }

    @Override
    public boolean consumed(String requestId) {
        return done && (baseline.id().equals(requestId) || combined.id().equals(requestId));
    }

    @Override
    public void advance(Map<String, Double> perplexities) {
        if (done || !perplexities.containsKey(baseline.id()) || !perplexities.containsKey(combined.id())) {
            return;
        }
        baselinePerplexity = perplexities.get(baseline.id());
        combinedPerplexity = perplexities.get(combined.id());
        for (int i = 0; i < candidates.size(); i++) {
            trace.add(TraceEntry.of(i + 1, combined, candidates.get(i), null, combinedPerplexity, baselinePerplexity,
                    true));
        }
        done = true;
    }

    @Override
    public boolean done() {
        return done;
    }

    @Override
    public List<TraceEntry> trace() {
        return List.copyOf(trace);
    }

    @Override
    public SearchOutcome outcome() {
        return new SearchOutcome(OneShotSpec.NAME, Split.FULL, baselinePerplexity, combinedPerplexity, candidates,
                trace);
    }
}
