package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.gateway.assembly.AssemblyFailure;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.leader.Leadership;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskType;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Merges a job's calibration shards (DESIGN §7.4) once all have answered, outside any transaction: a
 * 7B model's input Grams are gigabytes to read and write, far too long to hold the job's row lock and a
 * database transaction open. It follows the output assembly ({@code AssemblyRunner}): the transaction
 * that took the last shard fires {@link CalibrationMergeRequested}; after it commits the merge runs on
 * this runner's thread; then a short transaction sends the analyses, or fails the job with the reason,
 * unless the job left {@link JobStatus#CALIBRATING} meanwhile (cancelled). A gateway that stopped
 * mid-merge or missed the trigger is covered by the leader's periodic check, which finds calibrating jobs
 * with no calibration shard pending; only the leader merges ({@link Leadership}), so two gateways never
 * write one job's statistics at once. Merging twice writes the same statistics again, file by file.
 */
@ApplicationScoped
public class CalibrationMerger {

    private final GatewayConfig config;
    private final CalibrationStage stage;
    private final JobLifecycle lifecycle;
    private final Leadership leadership;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r,
            "lasermesh-calibration-merge"));
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    @Inject
    public CalibrationMerger(GatewayConfig config, CalibrationStage stage, JobLifecycle lifecycle,
                             Leadership leadership) {
        this.config = config;
        this.stage = stage;
        this.lifecycle = lifecycle;
        this.leadership = leadership;
    }

    void requested(@Observes(during = TransactionPhase.AFTER_SUCCESS) CalibrationMergeRequested request) {
        submit(request.jobId());
    }

    @Scheduled(every = "10s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void resumeMerges() {
        if (!leadership.leads()) {
            return;
        }
        List<String> unmerged = QuarkusTransaction.requiringNew().call(() -> JobEntity
                .<JobEntity>list("status", JobStatus.CALIBRATING).stream()
                .filter(j -> !TaskEntity.anyPending(j.id, TaskType.EVALUATION)).map(j -> j.id).toList());
        unmerged.forEach(this::submit);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private void submit(String jobId) {
        if (leadership.leads() && running.add(jobId)) {
            executor.execute(() -> {
                try {
                    merge(jobId);
                } finally {
                    running.remove(jobId);
                }
            });
        }
    }

    /** Merges the statistics of {@code jobId}'s shards and ends its calibration; quiet when it is not calibrating. */
    void merge(String jobId) {
        Optional<List<Path>> shards = QuarkusTransaction.requiringNew().call(() -> shards(jobId));
        if (shards.isEmpty()) {
            return;
        }
        String failure = null;
        try {
            CalibrationStore.merge(shards.get().stream().map(CalibrationStore::new).toList(),
                    artifact(CalibrationStage.statistics(jobId)));
        } catch (RuntimeException | OutOfMemoryError e) {
            Log.errorf(e, "job %s: merging the calibration statistics failed", jobId);
            failure = "merging the calibration statistics failed: " + AssemblyFailure.describe(e);
        }
        String reason = failure;
        QuarkusTransaction.requiringNew().run(() -> finish(jobId, reason));
    }

    /** The statistics folders of a calibrating job's shards in window order; empty when there is nothing to merge. */
    private Optional<List<Path>> shards(String jobId) {
        JobEntity job = JobEntity.findById(jobId);
        if (job == null || job.status != JobStatus.CALIBRATING || TaskEntity.anyPending(jobId, TaskType.EVALUATION)) {
            return Optional.empty();
        }
        return Optional.of(TaskEntity.ofRequest(jobId, CalibrationStage.REQUEST).stream()
                .sorted(Comparator.comparingInt(t -> Json.read(t.payload, EvaluationTask.class).shard().first()))
                .map(t -> artifact(Json.read(t.output, EvaluationOutput.class).calibration().statistics())).toList());
    }

    private void finish(String jobId, String failure) {
        Optional<JobEntity> locked = JobEntity.lock(jobId);
        if (locked.isEmpty() || locked.get().status != JobStatus.CALIBRATING) {
            return;
        }
        if (failure != null) {
            lifecycle.fail(locked.get(), failure);
        } else {
            stage.analyze(locked.get(), locked.get().jobSpec());
        }
    }

    private Path artifact(String path) {
        return ArtifactPath.resolve(config.artifacts(), path);
    }
}
