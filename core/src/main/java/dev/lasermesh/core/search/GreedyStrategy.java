package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The greedy scan shared by {@code laserrmt-greedy} and {@code snr-greedy}: visit the candidates in
 * order; candidate i is applied on top of the accepted set and kept iff its metric beats the
 * reference value (the best so far; strictly, or with ties accepted; lower or higher is better as the
 * search's {@link MetricDirection} says); a rejected candidate
 * is restored, i.e. simply not added; stop after {@code maxAccepted} acceptances (−1 = no cap).
 *
 * <p>Speculation: the probe for every undecided candidate j assumes the undecided candidates before it
 * are rejected, i.e. it evaluates (accepted set + j). Rejection leaves the accepted set unchanged, so
 * those probes stay valid until an acceptance; an acceptance replaces every later probe by one against
 * the new accepted set, and results of the old probes no longer match any wanted id. Decisions are
 * only made in order and only from probes of the current accepted set, so the trace is exactly the
 * sequential one for any number of evaluators and any arrival order.
 */
final class GreedyStrategy implements Strategy {

    private final String name;
    private final List<Candidate> order;
    private final boolean acceptTies;
    private final MetricDirection direction;
    private final int maxAccepted;
    private final EvaluationRequest baselineRequest;
    private final List<Candidate> accepted = new ArrayList<>();
    private final List<TraceEntry> trace = new ArrayList<>();
    private final Set<String> consumed = new HashSet<>();
    private final List<EvaluationRequest> probes;
    private final Map<String, Integer> probeIndex = new HashMap<>();
    private boolean baselineKnown;
    private double baseline;
    private double best;
    private int next;

    private GreedyStrategy(String name, List<Candidate> order, boolean acceptTies, int maxAccepted,
                           MetricDirection direction) {
        this.name = name;
        this.direction = direction;
        this.order = order;
        this.acceptTies = acceptTies;
        this.maxAccepted = maxAccepted;
        this.baselineRequest = EvaluationRequest.of(Split.FULL, 0.0, List.of());
        this.probes = new ArrayList<>(order.size());
        for (int j = 0; j < order.size(); j++) {
            probes.add(null);
        }
        rebuildProbes();
    }

    static GreedyStrategy laserRmt(LaserRmtGreedySpec spec, MetricDirection direction) {
        return new GreedyStrategy(LaserRmtGreedySpec.NAME, spec.scanOrder(), spec.acceptTies(), spec.maxAccepted(),
                direction);
    }

    static GreedyStrategy snr(SnrGreedySpec spec, MetricDirection direction) {
        return new GreedyStrategy(SnrGreedySpec.NAME, spec.scanOrder(), true, -1, direction);
    }

    @Override
    public List<EvaluationRequest> wanted() {
        List<EvaluationRequest> wanted = new ArrayList<>();
        if (!baselineKnown) {
            wanted.add(baselineRequest);
        }
        if (!scanFinished()) {
            wanted.addAll(probes.subList(next, order.size()));
        }
        return wanted;
    }

    @Override
    public boolean wants(String requestId) {
        if (!baselineKnown && baselineRequest.id().equals(requestId)) {
            return true;
        }
        Integer j = probeIndex.get(requestId);
        return j != null && j >= next && !scanFinished();
    }

    @Override
    public boolean consumed(String requestId) {
        return consumed.contains(requestId);
    }

    @Override
    public void advance(Map<String, Double> perplexities) {
        if (!baselineKnown && perplexities.containsKey(baselineRequest.id())) {
            baseline = perplexities.get(baselineRequest.id());
            best = baseline;
            baselineKnown = true;
            consumed.add(baselineRequest.id());
        }
        while (baselineKnown && !scanFinished()) {
            EvaluationRequest probe = probes.get(next);
            Double perplexity = perplexities.get(probe.id());
            if (perplexity == null) {
                return;
            }
            decide(probe, perplexity);
        }
    }

    private void decide(EvaluationRequest probe, double perplexity) {
        Candidate candidate = order.get(next);
        boolean accept = acceptTies ? direction.atLeastAsGood(perplexity, best) : direction.better(perplexity, best);
        trace.add(TraceEntry.of(next + 1, probe, candidate, null, perplexity, best, accept));
        consumed.add(probe.id());
        next++;
        if (accept) {
            accepted.add(candidate);
            best = perplexity;
            rebuildProbes();
        }
    }

    /** Probes for every undecided candidate against the current accepted set. */
    private void rebuildProbes() {
        probeIndex.clear();
        List<Replacement> state = accepted.stream().map(Candidate::replacement).toList();
        for (int j = next; j < order.size(); j++) {
            List<Replacement> replacements = new ArrayList<>(state);
            replacements.add(order.get(j).replacement());
            EvaluationRequest probe = EvaluationRequest.of(Split.FULL, 0.0, replacements);
            probes.set(j, probe);
            probeIndex.put(probe.id(), j);
        }
    }

    private boolean scanFinished() {
        return next == order.size() || (maxAccepted >= 0 && accepted.size() >= maxAccepted);
    }

    @Override
    public boolean done() {
        return baselineKnown && scanFinished();
    }

    @Override
    public List<TraceEntry> trace() {
        return List.copyOf(trace);
    }

    @Override
    public SearchOutcome outcome() {
        return new SearchOutcome(name, Split.FULL, baseline, best, accepted, trace);
    }
}
