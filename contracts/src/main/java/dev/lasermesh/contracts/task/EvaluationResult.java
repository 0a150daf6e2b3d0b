package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.Topics;

/**
 * An evaluator's answer to an {@link EvaluationTask}, on {@link Topics#EVALUATION_RESULTS}: either the
 * shard's partial sums, or why the task failed. (Not to be confused with core's
 * {@code search.EvaluationResult}, the perplexity of a whole request that the gateway computes from
 * the merged shards and hands to the search.)
 *
 * @param version   contract version, {@link ContractVersion#CURRENT}
 * @param jobId     the task's job
 * @param taskId    the task's id
 * @param requestId the task's search request
 * @param shard     the task's shard
 * @param output    the shard's sums; null when the task failed
 * @param failure   why the task failed; null when it succeeded
 */
public record EvaluationResult(int version, String jobId, String taskId, String requestId, WindowShard shard,
                               EvaluationOutput output, TaskFailure failure) implements Message {

    public EvaluationResult {
        ContractVersion.require(version, "EvaluationResult");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        Require.text(requestId, "requestId");
        Require.present(shard, "shard");
        TaskChecks.outputXorFailure(output, failure);
    }

    /** The result of {@code task} carried out. */
    public static EvaluationResult completed(EvaluationTask task, EvaluationOutput output) {
        return new EvaluationResult(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.requestId(),
                task.shard(), Require.present(output, "output"), null);
    }

    /** The result of {@code task} that could not be carried out. */
    public static EvaluationResult failed(EvaluationTask task, TaskFailure failure) {
        return new EvaluationResult(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.requestId(),
                task.shard(), null, Require.present(failure, "failure"));
    }

    /** Whether the task succeeded (then {@link #output()} is set). */
    public boolean succeeded() {
        return output != null;
    }

    @Override
    public String topic() {
        return Topics.EVALUATION_RESULTS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
