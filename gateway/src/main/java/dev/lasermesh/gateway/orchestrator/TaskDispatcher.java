package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.job.CalibrationSpec;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.task.CalibratedMethod;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.gateway.outbox.Outbox;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Plans worker tasks: a {@code tasks} row and the task message in the outbox, in the caller's
 * transaction. A task whose id exists already is not planned twice (a reduction that two requests
 * share, a request issued again): the id is the contract's, derived from what the task does.
 */
@ApplicationScoped
public class TaskDispatcher {

    private final Outbox outbox;

    @Inject
    public TaskDispatcher(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Plans the analysis of one matrix by {@code method} (null: W's own spectrum). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void analysis(String jobId, String modelPath, MatrixId matrix, RankPolicySpec policy,
                         CalibratedMethod method) {
        AnalysisTask task = TaskMessages.analysis(jobId, modelPath, matrix, policy, method);
        plan(TaskType.ANALYSIS, task.taskId(), task);
    }

    /**
     * Plans the truncation of one matrix to rank {@code rank} in {@code form}, by the job's method; returns its
     * task row.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity reduction(String jobId, JobSpec spec, MatrixId matrix, int rank, OutputForm form) {
        ReductionTask task = TaskMessages.reduction(jobId, spec.model(), matrix, rank, form,
                CalibrationStage.method(jobId, spec));
        TaskEntity row = plan(TaskType.REDUCTION, task.taskId(), task);
        row.tensor = matrix.tensor();
        row.rank = rank;
        row.form = form;
        return row;
    }

    /** Plans one matrix of a study variant ({@link TaskMessages#reduction(String, String, MatrixId, int, OutputForm, ReductionTransform)}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public TaskEntity reduction(String jobId, String modelPath, MatrixId matrix, int rank, OutputForm form,
                                ReductionTransform transform) {
        ReductionTask task = TaskMessages.reduction(jobId, modelPath, matrix, rank, form, transform);
        TaskEntity row = plan(TaskType.REDUCTION, task.taskId(), task);
        row.tensor = matrix.tensor();
        row.rank = rank;
        row.form = form;
        return row;
    }

    /** Plans one shard of one search request. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluation(String jobId, String requestId, String modelPath, List<Overlay> overlays,
                           EvaluationSpec evaluation, WindowShard shard) {
        EvaluationTask task = TaskMessages.evaluation(jobId, requestId, modelPath, overlays, evaluation, shard);
        plan(TaskType.EVALUATION, task.taskId(), task).requestId = requestId;
    }

    /** Plans one shard of a job's calibration. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void calibration(String jobId, String modelPath, CalibrationSpec calibration, List<String> matrices,
                            WindowShard shard) {
        EvaluationTask task = TaskMessages.calibration(jobId, modelPath, calibration, matrices, shard);
        plan(TaskType.EVALUATION, task.taskId(), task).requestId = task.requestId();
    }

    /** Sends a pending task again after a retryable failure. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resend(TaskEntity task) {
        task.attempts++;
        outbox.append(Json.read(task.payload, task.type.messageType()));
    }

    private TaskEntity plan(TaskType type, String taskId, Message message) {
        return TaskEntity.byId(taskId).orElseGet(() -> {
            TaskEntity row = TaskEntity.pending(type, taskId, message, Instant.now());
            row.persist();
            outbox.append(message);
            return row;
        });
    }
}
