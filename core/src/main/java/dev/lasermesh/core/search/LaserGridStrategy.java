package dev.lasermesh.core.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code laser-grid} (see {@link LaserGridSpec} for the rule): every grid point and the base model
 * are evaluated on the validation split, all independent of each other; once all are in, the choice
 * is made and the base model and the chosen point are evaluated on the report split. The base
 * model's report evaluation does not depend on the choice and is asked for from the start.
 */
final class LaserGridStrategy implements Strategy {

    private static final int UNDECIDED = -2;
    private static final int BASE_MODEL = -1;

    private final List<GridPoint> points;
    private final MetricDirection direction;
    private final EvaluationRequest baselineValidation;
    private final EvaluationRequest baselineReport;
    private final List<EvaluationRequest> pointValidation;
    private final List<TraceEntry> trace = new ArrayList<>();
    private final Set<String> consumed = new HashSet<>();
    private final Set<String> wantedIds = new HashSet<>();
    private List<EvaluationRequest> wanted;
    private int chosen = UNDECIDED;
    private EvaluationRequest chosenReport;
    private boolean done;
    private double reportBaseline;
    private double reportFinal;

    LaserGridStrategy(LaserGridSpec spec, MetricDirection direction) {
        this.direction = direction;
        double fraction = spec.validationFraction();
        this.points = spec.points();
        this.baselineValidation = EvaluationRequest.of(Split.VALIDATION, fraction, List.of());
        this.baselineReport = EvaluationRequest.of(Split.REPORT, fraction, List.of());
        this.pointValidation = points.stream()
                .map(p -> EvaluationRequest.of(Split.VALIDATION, fraction, List.of(p.candidate().replacement())))
                .toList();
        List<EvaluationRequest> initial = new ArrayList<>();
        initial.add(baselineValidation);
        initial.addAll(pointValidation);
        initial.add(baselineReport);
        setWanted(initial);
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
        if (chosen == UNDECIDED && perplexities.containsKey(baselineValidation.id())
                && pointValidation.stream().allMatch(r -> perplexities.containsKey(r.id()))) {
            choose(perplexities);
        }
        if (chosen != UNDECIDED && !done && perplexities.containsKey(baselineReport.id())
                && (chosenReport == null || perplexities.containsKey(chosenReport.id()))) {
            reportBaseline = perplexities.get(baselineReport.id());
            reportFinal = chosenReport == null ? reportBaseline : perplexities.get(chosenReport.id());
            consumed.add(baselineReport.id());
            if (chosenReport != null) {
                consumed.add(chosenReport.id());
            }
            done = true;
            setWanted(List.of());
        }
    }

    /**
     * Best validation value (lowest perplexity, or highest accuracy), strictly better than the base
     * model's; the first in grid order on ties.
     */
    private void choose(Map<String, Double> perplexities) {
        double base = perplexities.get(baselineValidation.id());
        consumed.add(baselineValidation.id());
        chosen = BASE_MODEL;
        double best = base;
        for (int i = 0; i < points.size(); i++) {
            double perplexity = perplexities.get(pointValidation.get(i).id());
            consumed.add(pointValidation.get(i).id());
            if (direction.better(perplexity, best)) {
                best = perplexity;
                chosen = i;
            }
        }
        for (int i = 0; i < points.size(); i++) {
            GridPoint point = points.get(i);
            EvaluationRequest request = pointValidation.get(i);
            trace.add(TraceEntry.of(i + 1, request, point.candidate(), point.rho(), perplexities.get(request.id()),
                    base, i == chosen));
        }
        List<EvaluationRequest> reports = new ArrayList<>();
        reports.add(baselineReport);
        if (chosen != BASE_MODEL) {
            chosenReport = EvaluationRequest.of(Split.REPORT, baselineReport.validationFraction(),
                    List.of(points.get(chosen).candidate().replacement()));
            reports.add(chosenReport);
        }
        setWanted(reports);
    }

    private void setWanted(List<EvaluationRequest> requests) {
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
        List<Candidate> accepted = chosen >= 0 ? List.of(points.get(chosen).candidate()) : List.of();
        return new SearchOutcome(LaserGridSpec.NAME, Split.REPORT, reportBaseline, reportFinal, accepted, trace);
    }
}
