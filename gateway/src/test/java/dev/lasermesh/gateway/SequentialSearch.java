package dev.lasermesh.gateway;

import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.EvaluationResult;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchMachine;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SearchSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The in-process definition a mesh job must reproduce: the search run one request at a time, each model
 * state scored over its split's windows in one pass with the reconstructions as a reduced model stores
 * them — what the standalone's {@code lasermesh run} does (its {@code LocalSearch}).
 */
public final class SequentialSearch {

    private SequentialSearch() {
    }

    /** The outcome of {@code spec} on {@code model}, scored on {@code texts} under {@code protocol}. */
    public static SearchOutcome run(Path model, List<Path> texts, ProtocolSpec protocol, SearchSpec spec) {
        try (ModelSource source = ModelSource.open(model); TextTokenizer tokenizer = TextTokenizer.load(model)) {
            DecoderWeights weights = DecoderWeights.bind(source.decoderConfig(), source.tensors());
            WindowPlan plan = Evaluation.plan(source.decoderConfig(), tokenizer, texts, protocol);
            MatrixTruncator truncator = new MatrixTruncator(LinearAlgebras.create());
            SearchMachine machine = SearchMachine.start(spec);
            while (!machine.isDone()) {
                for (EvaluationRequest request : machine.issue(1)) {
                    ModelState state = weights.baseState();
                    for (Replacement r : request.replacements()) {
                        var m = source.catalogue().byName(r.matrix());
                        double[] s = new dev.lasermesh.core.analysis.MatrixAnalyzer(LinearAlgebras.create(),
                                new dev.lasermesh.core.spectrum.FixedRankPolicy(r.rank())).analyze(source, m)
                                .summary().orElseThrow().singularValues();
                        state = state.with(r.matrix(), truncator.asWritten(source, m, s, r.rank()));
                    }
                    int total = plan.windows().size();
                    WindowPlan split = plan.range(request.firstWindow(total), request.endWindow(total));
                    try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, split, 2, 0)) {
                        machine.record(new EvaluationResult(request.id(),
                                evaluator.evaluate(state, EvalProgress.NONE).perplexity()));
                    }
                }
            }
            return machine.outcome();
        }
    }
}
