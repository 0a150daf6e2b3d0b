package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.job.CalibrationSpec;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.task.CalibratedMethod;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import java.util.List;

/**
 * The task messages of a job, with the contract's stable task ids and the artifact store layout of
 * the mesh brief: the reduced tensors of job {@code j} under {@code jobs/j/reduced/}, one file per
 * matrix, form and rank, so a redelivered task rewrites the same file.
 */
public final class TaskMessages {

    private TaskMessages() {
    }

    /** Spectrum and rank decision of one matrix, by {@code method} (null: W's own spectrum). */
    public static AnalysisTask analysis(String jobId, String modelPath, MatrixId matrix, RankPolicySpec policy,
                                        CalibratedMethod method) {
        return new AnalysisTask(ContractVersion.CURRENT, jobId, TaskIds.analysis(jobId, matrix.tensor()), modelPath,
                matrix, policy, method);
    }

    /** Truncation of one matrix to rank {@code rank}, written in {@code form}, by W's own SVD. */
    public static ReductionTask reduction(String jobId, String modelPath, MatrixId matrix, int rank, OutputForm form) {
        return reduction(jobId, modelPath, matrix, rank, form, (CalibratedMethod) null);
    }

    /** Truncation of one matrix to rank {@code rank}, written in {@code form}, by {@code method} (null: W's own SVD). */
    public static ReductionTask reduction(String jobId, String modelPath, MatrixId matrix, int rank, OutputForm form,
                                          CalibratedMethod method) {
        return new ReductionTask(ContractVersion.CURRENT, jobId, TaskIds.reduction(jobId, matrix.tensor(), form, rank),
                modelPath, matrix, rank, form, reducedPath(jobId, matrix.tensor(), form, rank), null, method);
    }

    /**
     * One matrix of a study variant: truncated or not, then quantized ({@code transform}); written to
     * {@code jobs/<job>/reduced/<tensor>.<last part of the task id>.safetensors}.
     */
    public static ReductionTask reduction(String jobId, String modelPath, MatrixId matrix, int rank, OutputForm form,
                                          ReductionTransform transform) {
        String taskId = TaskIds.reduction(jobId, matrix.tensor(), form, rank, transform);
        return new ReductionTask(ContractVersion.CURRENT, jobId, taskId, modelPath, matrix, rank, form,
                "jobs/" + jobId + "/reduced/" + matrix.tensor() + "." + taskId.substring(taskId.lastIndexOf('/') + 1)
                        + ".safetensors", transform);
    }

    /** {@code jobs/<job>/reduced/<tensor>.<form>-k<rank>.safetensors}. */
    static String reducedPath(String jobId, String tensor, OutputForm form, int rank) {
        return "jobs/" + jobId + "/reduced/" + tensor + "." + form.label() + "-k" + rank + ".safetensors";
    }

    /**
     * One shard of a job's calibration (DESIGN §7.4): the statistics of the inputs of {@code matrices} on the
     * calibration windows {@code shard}, taken from the base model.
     */
    public static EvaluationTask calibration(String jobId, String modelPath, CalibrationSpec calibration,
                                             List<String> matrices, WindowShard shard) {
        String requestId = CalibrationStage.REQUEST;
        return new EvaluationTask(ContractVersion.CURRENT, jobId, TaskIds.evaluation(jobId, requestId, shard), requestId,
                modelPath, List.of(), null, shard, calibration, matrices);
    }

    /** One shard of one search request: windows {@code shard} of the texts for the base model plus {@code overlays}. */
    public static EvaluationTask evaluation(String jobId, String requestId, String modelPath, List<Overlay> overlays,
                                            EvaluationSpec evaluation, WindowShard shard) {
        return new EvaluationTask(ContractVersion.CURRENT, jobId, TaskIds.evaluation(jobId, requestId, shard), requestId,
                modelPath, overlays, evaluation, shard);
    }
}
