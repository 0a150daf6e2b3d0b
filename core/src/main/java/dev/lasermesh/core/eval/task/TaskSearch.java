package dev.lasermesh.core.eval.task;

import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.EvaluationResult;
import dev.lasermesh.core.search.MetricDirection;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchMachine;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SearchSpec;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.search.TraceEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A search over an encoder scored by {@code knn-accuracy} (higher is better), driven in this process:
 * the search compares on train-LOO (a {@code laser-grid} chooses on train-LOO and reports on test), and
 * the base and the final model are then scored on test, which is what is reported — LASER's protocol of
 * choosing on one split and reporting on another (DESIGN §7.1).
 *
 * <p>Incremental evaluation: the evaluator is anchored on the search's current state (the base model,
 * then each accepted state), so a candidate in layer l re-runs only layers ≥ l.
 */
public final class TaskSearch {

    /** Receives each finished evaluation. */
    public interface Listener {
        void evaluated(EvaluationRequest request, KnnAccuracy.Score score, List<TraceEntry> trace);
    }

    /**
     * What the search found, with the test split of the base and the final model.
     *
     * @param outcome      the search's outcome (values are accuracies on train-LOO, or test for a grid's report)
     * @param baselineTest the base model on test
     * @param finalTest    the model with every accepted candidate on test
     */
    public record Result(SearchOutcome outcome, KnnAccuracy.Score baselineTest, KnnAccuracy.Score finalTest) {
    }

    private final ModelSource source;
    private final TaskEvaluator evaluator;
    private final MatrixTruncator truncator;
    private final Map<String, MatrixAnalysis> analyses;
    private final EncoderState base;
    private final Map<Replacement, float[]> reconstructions = new HashMap<>();

    public TaskSearch(ModelSource source, EncoderModel model, TaskEvaluator evaluator, MatrixTruncator truncator,
                      List<MatrixAnalysis> analyses) {
        this.source = source;
        this.evaluator = evaluator;
        this.truncator = truncator;
        this.analyses = analyses.stream().collect(Collectors.toMap(a -> a.matrix().name(), a -> a));
        this.base = model.weights().baseState();
    }

    /** Runs {@code spec} to the end, then scores the base and the final model on test. */
    public Result run(SearchSpec spec, Listener listener) {
        SearchMachine machine = SearchMachine.start(spec, MetricDirection.HIGHER_IS_BETTER);
        while (!machine.isDone()) {
            for (EvaluationRequest request : machine.issue(1)) {
                EncoderState state = state(request.replacements());
                TaskSplit split = request.split() == Split.REPORT ? TaskSplit.TEST : TaskSplit.TRAIN_LOO;
                KnnAccuracy.Score score = request.replacements().isEmpty()
                        ? evaluator.anchor(state, split) : evaluator.score(state, split);
                int traced = machine.trace().size();
                machine.record(new EvaluationResult(request.id(), score.accuracy()));
                List<TraceEntry> trace = machine.trace();
                if (trace.size() > traced && trace.getLast().accepted() && !machine.isDone()) {
                    evaluator.anchor(state, split);
                }
                Set<Replacement> kept = machine.trace().stream().filter(TraceEntry::accepted)
                        .map(e -> new Replacement(e.matrix(), e.rank())).collect(Collectors.toSet());
                reconstructions.keySet().retainAll(kept);
                listener.evaluated(request, score, trace);
            }
        }
        SearchOutcome outcome = machine.outcome();
        KnnAccuracy.Score baselineTest = evaluator.anchor(base, TaskSplit.TEST);
        KnnAccuracy.Score finalTest = evaluator.score(state(outcome.accepted().stream()
                .map(Candidate::replacement).toList()), TaskSplit.TEST);
        return new Result(outcome, baselineTest, finalTest);
    }

    private EncoderState state(List<Replacement> replacements) {
        EncoderState state = base;
        for (Replacement r : replacements) {
            state = state.with(r.matrix(), reconstructions.computeIfAbsent(r, this::reconstruct));
        }
        return state;
    }

    private float[] reconstruct(Replacement r) {
        MatrixAnalysis analysis = analyses.get(r.matrix());
        return truncator.asWritten(source, analysis.matrix(), analysis.summary().orElseThrow().singularValues(),
                r.rank());
    }
}
