package dev.lasermesh.gateway.job;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.gateway.orchestrator.JobEvents;
import dev.lasermesh.gateway.orchestrator.JobLifecycle;
import dev.lasermesh.gateway.orchestrator.CalibrationStage;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/** Creates and cancels jobs, each in one transaction with the messages it implies. */
@ApplicationScoped
public class JobStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CalibrationStage calibration;
    private final JobLifecycle lifecycle;
    private final JobEvents events;

    @Inject
    public JobStore(CalibrationStage calibration, JobLifecycle lifecycle, JobEvents events) {
        this.calibration = calibration;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    /**
     * Stores a planned job with its matrices and sends its first tasks, all in one transaction: the job is
     * {@link JobStatus#ANALYZING} from the start, or {@link JobStatus#CALIBRATING} with its calibration
     * shards out when its method needs calibration statistics (storing it and sending its first tasks are
     * one step, so {@code QUEUED} is never observed).
     */
    @Transactional
    public JobEntity create(JobPlan plan) {
        JobSpec spec = plan.spec();
        Instant now = Instant.now();
        JobEntity job = new JobEntity();
        job.id = newId();
        job.status = plan.calibrationWindows() == null ? JobStatus.ANALYZING : JobStatus.CALIBRATING;
        job.spec = Json.write(spec);
        job.submitted = now;
        job.started = now;
        job.totalWindows = plan.totalWindows();
        job.persist();
        for (int i = 0; i < plan.matrices().size(); i++) {
            MatrixEntity.of(job.id, i, plan.matrices().get(i)).persist();
        }
        if (plan.calibrationWindows() == null) {
            calibration.analyze(job, spec);
        } else {
            calibration.begin(job, spec, plan.matrices(), plan.calibrationWindows());
        }
        events.statusChanged(job.id, job.status, null);
        return job;
    }

    /**
     * Cancels a running job.
     *
     * @return the job, or empty when there is no such job
     * @throws JobConflictException when the job has already ended
     */
    @Transactional
    public Optional<JobEntity> cancel(String id) {
        Optional<JobEntity> job = JobEntity.lock(id);
        if (job.isPresent()) {
            if (job.get().status.terminal()) {
                throw new JobConflictException("job " + id + " has already ended (" + job.get().status + ")");
            }
            lifecycle.cancel(job.get(), "cancelled by a user");
        }
        return job;
    }

    /** {@code j-} and 16 random hex digits: unguessable, and a valid artifact path segment. */
    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "j-" + HexFormat.of().formatHex(bytes);
    }
}
