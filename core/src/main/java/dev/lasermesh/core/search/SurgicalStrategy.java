package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sfsd-surgical} (see {@link SfsdSurgicalSpec} for the rule). The base model is evaluated on
 * both splits from the start. The matrices are decided one at a time from the last; for the matrix
 * under decision every rank of its grid is probed at once against the matrices accepted so far (the
 * probes are independent, so they run in parallel), and the decision is taken as soon as the ranks
 * below the first acceptable one are known to fail: walking the grid upwards, an unknown result waits,
 * a result within the bound accepts, a result above it moves on; all above keeps the matrix dense. An
 * acceptance changes the model state of every later probe, so the next matrix is only probed once this
 * one is decided. When all are decided the final state is evaluated on the report split.
 *
 * <p>Each probe decided becomes a trace entry (the accepted rank, and every smaller rank rejected
 * before it); {@link TraceEntry#comparedWith()} is the bound base·tolerance^(N − i).
 */
final class SurgicalStrategy implements Strategy {

    private final SfsdSurgicalSpec spec;
    private final List<List<Integer>> matrices;
    private final EvaluationRequest baselineValidation;
    private final EvaluationRequest baselineReport;
    private final List<Candidate> accepted = new ArrayList<>();
    private final List<TraceEntry> trace = new ArrayList<>();
    private final Set<String> consumed = new HashSet<>();
    private final Set<String> wantedIds = new HashSet<>();
    private List<EvaluationRequest> wanted;
    private int current;
    private boolean baselineKnown;
    private double base;
    private EvaluationRequest finalReport;
    private boolean done;
    private double reportBaseline;
    private double reportFinal;

    SurgicalStrategy(SfsdSurgicalSpec spec, MetricDirection direction) {
        if (direction != MetricDirection.LOWER_IS_BETTER) {
            throw new SearchParameterException(SfsdSurgicalSpec.NAME + " bounds a perplexity (lower is better);"
                    + " it cannot search a metric where higher is better");
        }
        this.spec = spec;
        Map<String, List<Integer>> byMatrix = new LinkedHashMap<>();
        List<Candidate> candidates = spec.candidates();
        for (int c = 0; c < candidates.size(); c++) {
            byMatrix.computeIfAbsent(candidates.get(c).matrix(), m -> new ArrayList<>()).add(c);
        }
        this.matrices = List.copyOf(byMatrix.values());
        double fraction = spec.validationFraction();
        this.baselineValidation = EvaluationRequest.of(Split.VALIDATION, fraction, List.of());
        this.baselineReport = EvaluationRequest.of(Split.REPORT, fraction, List.of());
        this.current = matrices.size() - 1;
        rebuildWanted();
    }

    @Override
    public List<EvaluationRequest> wanted() {
        return wanted;
    }

    @Override
    public boolean wants(String requestId) {
        return wantedIds.contains(requestId);
    }

    @Override
    public boolean consumed(String requestId) {
        return consumed.contains(requestId);
    }

    @Override
    public void advance(Map<String, Double> perplexities) {
        if (!baselineKnown && perplexities.containsKey(baselineValidation.id())) {
            base = perplexities.get(baselineValidation.id());
            baselineKnown = true;
            consumed.add(baselineValidation.id());
        }
        while (baselineKnown && current >= 0 && decide(perplexities)) {
            current--;
        }
        if (current < 0 && !done) {
            report(perplexities);
        }
        rebuildWanted();
    }

    /**
     * Decides the matrix at {@link #current} if the known results allow: walking its grid upwards, the
     * first rank within the bound is accepted once every smaller rank is known to exceed it; with all
     * ranks above the bound the matrix stays dense. Returns whether it decided.
     */
    private boolean decide(Map<String, Double> perplexities) {
        double bound = base * Math.pow(spec.tolerance(), matrices.size() - current);
        List<EvaluationRequest> probes = probes();
        int decided = probes.size() - 1;
        for (int g = 0; g < probes.size(); g++) {
            Double perplexity = perplexities.get(probes.get(g).id());
            if (perplexity == null) {
                return false;
            }
            if (perplexity <= bound) {
                decided = g;
                break;
            }
        }
        List<Integer> grid = matrices.get(current);
        for (int g = 0; g <= decided; g++) {
            EvaluationRequest probe = probes.get(g);
            double perplexity = perplexities.get(probe.id());
            Candidate candidate = spec.candidates().get(grid.get(g));
            boolean accept = perplexity <= bound;
            trace.add(TraceEntry.of(grid.get(g) + 1, probe, candidate, null, perplexity, bound, accept));
            consumed.add(probe.id());
            if (accept) {
                accepted.add(candidate);
            }
        }
        return true;
    }

    private void report(Map<String, Double> perplexities) {
        if (finalReport == null && !accepted.isEmpty()) {
            finalReport = EvaluationRequest.of(Split.REPORT, spec.validationFraction(),
                    accepted.stream().map(Candidate::replacement).toList());
        }
        if (perplexities.containsKey(baselineReport.id())
                && (finalReport == null || perplexities.containsKey(finalReport.id()))) {
            reportBaseline = perplexities.get(baselineReport.id());
            reportFinal = finalReport == null ? reportBaseline : perplexities.get(finalReport.id());
            consumed.add(baselineReport.id());
            if (finalReport != null) {
                consumed.add(finalReport.id());
            }
            done = true;
        }
    }

    /** The probes of the matrix under decision, in grid order, against the accepted state. */
    private List<EvaluationRequest> probes() {
        List<Replacement> state = accepted.stream().map(Candidate::replacement).toList();
        List<EvaluationRequest> probes = new ArrayList<>();
        for (int c : matrices.get(current)) {
            List<Replacement> replacements = new ArrayList<>(state);
            replacements.add(spec.candidates().get(c).replacement());
            probes.add(EvaluationRequest.of(Split.VALIDATION, spec.validationFraction(), replacements));
        }
        return probes;
    }

    private void rebuildWanted() {
        List<EvaluationRequest> requests = new ArrayList<>();
        if (!done) {
            requests.add(baselineValidation);
            if (current >= 0) {
                requests.addAll(probes());
            } else if (finalReport != null) {
                requests.add(finalReport);
            }
            requests.add(baselineReport);
        }
        wanted = requests.stream().filter(r -> !consumed.contains(r.id())).toList();
        wantedIds.clear();
        wanted.forEach(r -> wantedIds.add(r.id()));
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
        return new SearchOutcome(SfsdSurgicalSpec.NAME, Split.REPORT, reportBaseline, reportFinal, accepted, trace);
    }
}
