package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.Topics;

/**
 * A reducer's answer to a {@link ReductionTask}, on {@link Topics#REDUCTION_RESULTS}: either the
 * written tensors and the truncation's cost, or why the task failed.
 *
 * @param version contract version, {@link ContractVersion#CURRENT}
 * @param jobId   the task's job
 * @param taskId  the task's id
 * @param matrix  the task's matrix
 * @param output  the written tensors and the truncation's cost; null when the task failed. Its overlay
 *                replaces {@code matrix.tensor}
 * @param failure why the task failed; null when it succeeded
 */
public record ReductionResult(int version, String jobId, String taskId, MatrixId matrix, ReductionOutput output,
                              TaskFailure failure) implements Message {

    public ReductionResult {
        ContractVersion.require(version, "ReductionResult");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        Require.present(matrix, "matrix");
        TaskChecks.outputXorFailure(output, failure);
        if (output != null && !output.overlay().replaces().equals(matrix.tensor())) {
            throw new ContractException("output.overlay replaces " + output.overlay().replaces() + ", not the task's matrix "
                    + matrix.tensor(), "output.overlay.replaces");
        }
    }

    /** The result of {@code task} carried out. */
    public static ReductionResult completed(ReductionTask task, ReductionOutput output) {
        return new ReductionResult(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.matrix(),
                Require.present(output, "output"), null);
    }

    /** The result of {@code task} that could not be carried out. */
    public static ReductionResult failed(ReductionTask task, TaskFailure failure) {
        return new ReductionResult(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.matrix(), null,
                Require.present(failure, "failure"));
    }

    /** Whether the task succeeded (then {@link #output()} is set). */
    public boolean succeeded() {
        return output != null;
    }

    @Override
    public String topic() {
        return Topics.REDUCTION_RESULTS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
