package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.job.EvaluationSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * "Score these windows of the texts with this model state" (DESIGN §2 step 5), gateway → evaluator on
 * {@link Topics#EVALUATION_TASKS}. A model state is the base model with {@code overlays} applied. For a
 * task evaluation ({@link EvaluationSpec#scoresTask()}, DESIGN §7.1) the shard is a range of the task's
 * examples instead — train examples 0..n−1 then test examples n..n+m−1 — to be embedded.
 *
 * @param version    contract version, {@link ContractVersion#CURRENT}
 * @param jobId      the job
 * @param taskId     stable id of this task ({@link TaskIds#evaluation})
 * @param requestId  the id of the search's evaluation request (core's {@code EvaluationRequest.id()});
 *                   the shards of one request are merged under it
 * @param modelPath  the base model folder, an absolute real path under the model roots
 * @param overlays   the reduced tensors replacing base tensors, each base tensor at most once; empty
 *                   for the base model
 * @param evaluation texts and protocol, resolved (texts absolute; protocol, window and stride set)
 * @param shard      the windows to score, or for a task the examples to embed
 */
public record EvaluationTask(int version, String jobId, String taskId, String requestId, String modelPath,
                             List<Overlay> overlays, EvaluationSpec evaluation, WindowShard shard) implements Message {

    public EvaluationTask {
        ContractVersion.require(version, "EvaluationTask");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        Require.text(requestId, "requestId");
        TaskChecks.absolutePath(modelPath, "modelPath");
        overlays = Require.elements(overlays, "overlays");
        Set<String> replaced = new HashSet<>();
        for (int i = 0; i < overlays.size(); i++) {
            if (!replaced.add(overlays.get(i).replaces())) {
                throw new ContractException("overlays replace " + overlays.get(i).replaces() + " more than once",
                        "overlays[" + i + "].replaces");
            }
        }
        Require.present(evaluation, "evaluation");
        try {
            evaluation.requireResolved();
        } catch (ContractException e) {
            throw e.within("evaluation");
        }
        for (int i = 0; i < evaluation.texts().size(); i++) {
            TaskChecks.absolutePath(evaluation.texts().get(i), "evaluation.texts[" + i + "]");
        }
        if (evaluation.scoresTask()) {
            TaskChecks.absolutePath(evaluation.task(), "evaluation.task");
        }
        Require.present(shard, "shard");
    }

    @Override
    public String topic() {
        return Topics.EVALUATION_TASKS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
