package dev.lasermesh.gateway.job;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.gateway.orchestrator.JobEvents;
import dev.lasermesh.gateway.orchestrator.JobLifecycle;
import dev.lasermesh.gateway.orchestrator.TaskDispatcher;
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

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final JobEvents events;

    @Inject
    public JobStore(TaskDispatcher dispatcher, JobLifecycle lifecycle, JobEvents events) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    /**
     * Stores a planned job with its matrices and sends its analysis tasks, all in one transaction: the
     * job is {@link JobStatus#ANALYZING} from the start (storing it and sending its first tasks are one
     * step, so {@code QUEUED} is never observed).
     */
    @Transactional
    public JobEntity create(JobPlan plan) {
        JobSpec spec = plan.spec();
        Instant now = Instant.now();
        JobEntity job = new JobEntity();
        job.id = newId();
        job.status = JobStatus.ANALYZING;
        job.spec = Json.write(spec);
        job.submitted = now;
        job.started = now;
        job.totalWindows = plan.totalWindows();
        job.persist();
        RankPolicySpec policy = spec.policy() == null ? RankPolicySpec.named(LaserRmtPolicy.NAME) : spec.policy();
        for (int i = 0; i < plan.matrices().size(); i++) {
            MatrixRef ref = plan.matrices().get(i);
            MatrixEntity.of(job.id, i, ref).persist();
            dispatcher.analysis(job.id, spec.model(), MatrixId.of(ref), policy);
        }
        events.statusChanged(job.id, JobStatus.ANALYZING, null);
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
