package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.task.EvaluationTask;
import java.nio.file.Path;

/**
 * What a task shard's embedder is built for: the base model, the task folder and the examples
 * [first, end) (end null: through the last example). Tasks with the same key share one embedder and its
 * hidden states.
 */
record TaskShardKey(Path model, Path task, int first, Integer end) {

    static TaskShardKey of(EvaluationTask task) {
        return new TaskShardKey(Path.of(task.modelPath()), Path.of(task.evaluation().task()), task.shard().first(),
                task.shard().end());
    }
}
