package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.job.JobEventPayload;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.AnalysisOutput;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchParameterException;
import dev.lasermesh.core.search.SearchSpec;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.metrics.GatewayMetrics;
import dev.lasermesh.gateway.metrics.GatewayMetrics.TaskOutcome;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import dev.lasermesh.gateway.store.TaskType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Advances jobs from the workers' results (DESIGN §2): for a calibrated method, the calibration shards
 * ({@link CalibrationStage}) → analyses of all selected matrices → the search
 * (or, without evaluation, the reductions of the output) → the job's study, when it asks for one
 * ({@link StudyStage}) → the output's reductions → assembly. Each
 * result is taken in one transaction with the job's row locked, so one job's results are handled one at
 * a time and every state change is committed together with the messages it implies (the outbox).
 *
 * <p>Idempotence: a result counts only for a task that is still {@link TaskStatus#PENDING}; a
 * redelivered result, or one for a job that has ended, changes nothing. A failure marked retryable
 * sends the task again, up to {@code lasermesh.tasks.max-attempts} sends in all. A failed analysis
 * drops its matrix from the job (as the standalone skips it); a failed reduction or evaluation the job
 * still needs fails the job, with the task's reason.
 */
@ApplicationScoped
public class Orchestrator {

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final JobEvents events;
    private final SearchDriver search;
    private final StudyStage study;
    private final OutputStage output;
    private final CalibrationStage calibration;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;

    @Inject
    public Orchestrator(TaskDispatcher dispatcher, JobLifecycle lifecycle, JobEvents events, SearchDriver search,
                        StudyStage study, OutputStage output, CalibrationStage calibration, GatewayMetrics metrics,
                        GatewayConfig config) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.events = events;
        this.search = search;
        this.study = study;
        this.output = output;
        this.calibration = calibration;
        this.metrics = metrics;
        this.config = config;
    }

    /** Takes an analyzer's result. */
    @Transactional
    public void onAnalysis(AnalysisResult result) {
        Optional<Delivery> delivery = deliver(result.jobId(), result.taskId(), TaskType.ANALYSIS);
        if (delivery.isEmpty()) {
            return;
        }
        JobEntity job = delivery.get().job();
        TaskEntity task = delivery.get().task();
        MatrixEntity matrix = MatrixEntity.of(job.id, result.matrix().tensor()).orElseThrow();
        if (result.succeeded()) {
            AnalysisOutput out = result.output();
            done(task, Json.write(out), out.seconds());
            matrix.spectrum = Json.write(out.spectrum());
            matrix.backend = out.backend();
            matrix.analysisSeconds = out.seconds();
            job.analysisSeconds += out.seconds();
        } else if (!retried(task, result.failure())) {
            matrix.failure = result.failure().reason();
            events.log(job.id, JobEventPayload.Log.Level.WARN, "analysis of " + matrix.tensor + " failed, the matrix "
                    + "is left out: " + result.failure().reason());
        }
        events.progress(job.id);
        if (!TaskEntity.anyPending(job.id, TaskType.ANALYSIS)) {
            analysesDone(job);
        }
    }

    /** Takes a reducer's result. */
    @Transactional
    public void onReduction(ReductionResult result) {
        Optional<Delivery> delivery = deliver(result.jobId(), result.taskId(), TaskType.REDUCTION);
        if (delivery.isEmpty()) {
            return;
        }
        JobEntity job = delivery.get().job();
        TaskEntity task = delivery.get().task();
        JobSpec spec = job.jobSpec();
        if (result.succeeded()) {
            done(task, Json.write(result.output()), result.output().seconds());
            job.reductionSeconds += result.output().seconds();
            events.progress(job.id);
            switch (job.status) {
                case SEARCHING, EVALUATING -> search.reductionDone(job);
                case STUDYING -> study.reductionDone(job);
                case REDUCING -> output.reductionDone(job, spec);
                default -> Log.debugf("job %s: reduction %s finished after the job stopped needing it", job.id,
                        task.taskId);
            }
        } else if (!retried(task, result.failure())) {
            events.progress(job.id);
            String reason = "reduction of " + result.matrix().tensor() + " to rank " + task.rank + " failed: "
                    + result.failure().reason();
            if (OutputStage.needed(job.status, task.form, spec)) {
                lifecycle.fail(job, reason);
            } else {
                events.log(job.id, JobEventPayload.Log.Level.WARN, reason + " (not needed any more)");
            }
        }
    }

    /** Takes an evaluator's result (one shard of one search request). */
    @Transactional
    public void onEvaluation(EvaluationResult result) {
        Optional<Delivery> delivery = deliver(result.jobId(), result.taskId(), TaskType.EVALUATION);
        if (delivery.isEmpty()) {
            return;
        }
        JobEntity job = delivery.get().job();
        TaskEntity task = delivery.get().task();
        if (!result.succeeded()) {
            if (!retried(task, result.failure())) {
                events.progress(job.id);
                lifecycle.fail(job, "evaluation " + task.taskId + " failed: " + result.failure().reason());
            }
            return;
        }
        EvaluationOutput out = result.output();
        if (job.status == JobStatus.CALIBRATING) {
            done(task, Json.write(out), out.seconds());
            events.progress(job.id);
            calibration.shardDone(job);
            return;
        }
        String mismatch = mismatch(job, result);
        done(task, Json.write(out), out.seconds());
        job.evaluationSeconds += out.seconds();
        events.progress(job.id);
        if (mismatch != null) {
            lifecycle.fail(job, mismatch);
        } else if (job.status == JobStatus.SEARCHING || job.status == JobStatus.EVALUATING) {
            search.shardDone(job, result.requestId());
        } else if (job.status == JobStatus.STUDYING) {
            study.shardDone(job, result.requestId());
        }
    }

    /** Fails a job whose result could not be taken at all (see {@code ResultConsumers}). */
    @Transactional
    public void abandon(String jobId, String reason) {
        JobEntity.lock(jobId).filter(job -> !job.status.terminal()).ifPresent(job -> lifecycle.fail(job, reason));
    }

    /**
     * Why a shard's sums cannot be used: the evaluator counted a different number of windows in the
     * texts than the gateway planned (tokenizer or texts differ between the services), or scored a
     * different number of windows than its shard has.
     */
    private static String mismatch(JobEntity job, EvaluationResult result) {
        int total = result.output().totalWindows();
        if (total != job.totalWindows) {
            return "evaluation " + result.taskId() + ": the evaluator counts " + total + " windows in the texts, the "
                    + "gateway planned " + job.totalWindows + " (do the services see the same texts and tokenizer?)";
        }
        int expected = result.shard().size(total);
        int scored = result.output().scored();
        return scored == expected ? null : "evaluation " + result.taskId() + ": scored " + scored + " windows, its shard has "
                + expected;
    }

    /** Every analysis has answered: start the search, or the output of a job without evaluation. */
    private void analysesDone(JobEntity job) {
        JobSpec spec = job.jobSpec();
        List<MatrixEntity> matrices = MatrixEntity.ofJob(job.id);
        List<MatrixAnalysis> usable = matrices.stream().filter(m -> m.spectrum != null).map(MatrixEntity::analysis)
                .toList();
        if (usable.isEmpty()) {
            lifecycle.fail(job, "none of the " + matrices.size() + " selected matrices could be analysed (see errors)");
            return;
        }
        if (spec.study() != null && spec.study().withoutSearch()) {
            study.begin(job, spec);
            return;
        }
        if (spec.evaluation() == null) {
            output.begin(job, spec, usable.stream().filter(ReducedModelWriter::replaces).map(a -> new Replacement(a.matrix().name(), a.summary().orElseThrow().decision().k())).toList());
            return;
        }
        SearchSpec searchSpec;
        try {
            searchSpec = SearchSpecs.of(spec.strategy(), usable);
        } catch (SearchParameterException e) {
            lifecycle.fail(job, "the analysed matrices do not make a search: " + e.getMessage());
            return;
        }
        search.start(job, spec, searchSpec);
    }

    /**
     * The job and task a result belongs to, the job locked; empty when the result is not to be used:
     * unknown job or task, a task already answered (a redelivery), or a job that has ended.
     */
    private Optional<Delivery> deliver(String jobId, String taskId, TaskType type) {
        Optional<JobEntity> job = JobEntity.lock(jobId);
        Optional<TaskEntity> task = TaskEntity.byId(taskId);
        if (job.isEmpty() || task.isEmpty() || !task.get().jobId.equals(jobId) || task.get().type != type) {
            Log.warnf("result for unknown task %s of job %s ignored", taskId, jobId);
            return Optional.empty();
        }
        if (task.get().status != TaskStatus.PENDING || job.get().status.terminal()) {
            metrics.taskResult(type, TaskOutcome.DUPLICATE);
            Log.debugf("result for task %s (%s) of job %s (%s) ignored", taskId, task.get().status, jobId,
                    job.get().status);
            return Optional.empty();
        }
        return Optional.of(new Delivery(job.get(), task.get()));
    }

    private void done(TaskEntity task, String outputJson, double seconds) {
        task.status = TaskStatus.DONE;
        task.output = outputJson;
        task.seconds = seconds;
        task.finished = Instant.now();
        metrics.taskResult(task.type, TaskOutcome.SUCCEEDED);
        metrics.taskSeconds(task.type, seconds);
    }

    /** Sends a task again when its failure is retryable and attempts are left; else marks it failed. */
    private boolean retried(TaskEntity task, TaskFailure failure) {
        task.failure = failure.reason();
        if (failure.retryable() && task.attempts < config.tasks().maxAttempts()) {
            dispatcher.resend(task);
            metrics.taskResult(task.type, TaskOutcome.RETRIED);
            return true;
        }
        task.status = TaskStatus.FAILED;
        task.finished = Instant.now();
        metrics.taskResult(task.type, TaskOutcome.FAILED);
        return false;
    }

    private record Delivery(JobEntity job, TaskEntity task) {
    }
}
