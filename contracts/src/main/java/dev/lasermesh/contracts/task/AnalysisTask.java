package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.core.spectrum.RankPolicySpec;

/**
 * "Compute the spectrum of this matrix and decide its rank" (DESIGN §2 step 2), gateway → analyzer on
 * {@link Topics#ANALYSIS_TASKS}. The analyzer answers with an {@link AnalysisResult} under the same
 * task id; a redelivered task gives the same result.
 *
 * @param version   contract version, {@link ContractVersion#CURRENT}
 * @param jobId     the job
 * @param taskId    stable id of this task ({@link TaskIds#analysis})
 * @param modelPath the model folder, an absolute real path under the model roots (as the job spec's
 *                  validator resolved it); every service mounts the model roots at the same place
 * @param matrix    the matrix to analyse
 * @param policy    the rank policy and its parameter (core's JSON: {@code {"policy":"fraction","fraction":0.1}})
 * @param method    the calibrated method whose spectrum the policy sees (DESIGN §7.4); null for the
 *                  singular values of W
 */
public record AnalysisTask(int version, String jobId, String taskId, String modelPath, MatrixId matrix,
                           RankPolicySpec policy, CalibratedMethod method) implements Message {

    public AnalysisTask {
        ContractVersion.require(version, "AnalysisTask");
        Require.text(jobId, "jobId");
        Require.text(taskId, "taskId");
        TaskChecks.absolutePath(modelPath, "modelPath");
        Require.present(matrix, "matrix");
        Require.present(policy, "policy");
        try {
            policy.toPolicy();
        } catch (IllegalArgumentException e) {
            throw new ContractException(e.getMessage(), "policy");
        }
    }

    /** The analysis of W's own spectrum. */
    public AnalysisTask(int version, String jobId, String taskId, String modelPath, MatrixId matrix,
                        RankPolicySpec policy) {
        this(version, jobId, taskId, modelPath, matrix, policy, null);
    }

    @Override
    public String topic() {
        return Topics.ANALYSIS_TASKS;
    }

    @Override
    public String key() {
        return taskId;
    }
}
