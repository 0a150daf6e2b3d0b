package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.core.eval.perplexity.Protocol;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * What an evaluator for a shard is built for: the base model, the texts, the protocol with its
 * parameters, and the windows [first, end) (end null: through the last window). Tasks with the same
 * key share one evaluator and its hidden states.
 */
record ShardKey(Path model, List<Path> texts, ProtocolSpec protocol, int first, Integer end) {

    ShardKey {
        texts = List.copyOf(texts);
    }

    /**
     * The key of {@code task}.
     *
     * @throws dev.lasermesh.core.eval.EvalInputException when the protocol or its parameters are invalid
     */
    static ShardKey of(EvaluationTask task) {
        EvaluationSpec spec = task.evaluation();
        ProtocolSpec protocol = new ProtocolSpec(Protocol.fromName(spec.protocol()), spec.window(), spec.stride(),
                spec.maxTokens() == null ? OptionalInt.empty() : OptionalInt.of(spec.maxTokens()));
        return new ShardKey(Path.of(task.modelPath()), spec.texts().stream().map(Path::of).toList(), protocol,
                task.shard().first(), task.shard().end());
    }
}
