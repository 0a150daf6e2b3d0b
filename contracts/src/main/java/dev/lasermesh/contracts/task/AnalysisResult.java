package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.Topics;

/**
 * An analyzer's answer to an {@link AnalysisTask}, on {@link Topics#ANALYSIS_RESULTS}: either the
 * spectrum and rank decision, or why the task failed.
 *
 * @param version contract version, {@link ContractVersion#CURRENT}
 * @param jobId   the task's job
 * @param taskId  the task's id
 * @param matrix  the task's matrix
 * @param output  the spectrum and decision; null when the task failed
 * @param failure why the task failed; null when it succeeded
 */
public record AnalysisResult(int version, String jobId, String taskId, MatrixId matrix, AnalysisOutput output,
                             TaskFailure failure) implements Message {

    public AnalysisResult {
        ContractVersion.require(version, "AnalysisResult");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        Require.present(matrix, "matrix");
        TaskChecks.outputXorFailure(output, failure);
    }

    /** The result of {@code task} carried out. */
    public static AnalysisResult completed(AnalysisTask task, AnalysisOutput output) {
        return new AnalysisResult(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.matrix(),
                Require.present(output, "output"), null);
    }

    /** The result of {@code task} that could not be carried out. */
    public static AnalysisResult failed(AnalysisTask task, TaskFailure failure) {
        return new AnalysisResult(ContractVersion.CURRENT, task.jobId(), task.taskId(), task.matrix(), null,
                Require.present(failure, "failure"));
    }

    /** Whether the task succeeded (then {@link #output()} is set). */
    public boolean succeeded() {
        return output != null;
    }

    @Override
    public String topic() {
        return Topics.ANALYSIS_RESULTS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
