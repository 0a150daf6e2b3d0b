package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.gateway.assembly.AssemblyRequested;
import dev.lasermesh.gateway.store.EvaluationEntity;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.RequestStatus;
import dev.lasermesh.gateway.store.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Status changes of a job, each with its event, in the caller's transaction. */
@ApplicationScoped
public class JobLifecycle {

    private final JobEvents events;
    private final Event<AssemblyRequested> assembly;

    @Inject
    public JobLifecycle(JobEvents events, Event<AssemblyRequested> assembly) {
        this.events = events;
        this.assembly = assembly;
    }

    /** Moves a running job to the next stage. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void moveTo(JobEntity job, JobStatus status) {
        if (job.status != status) {
            job.status = status;
            events.statusChanged(job.id, status, null);
        }
    }

    /**
     * Moves the job to {@link JobStatus#ASSEMBLING}; once the transaction commits, the assembler writes
     * the output model and the report.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void startAssembly(JobEntity job) {
        moveTo(job, JobStatus.ASSEMBLING);
        assembly.fire(new AssemblyRequested(job.id));
    }

    /** Ends the job with its output written. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void succeed(JobEntity job, String output) {
        job.output = output;
        end(job, JobStatus.SUCCEEDED, null);
    }

    /** Ends the job because of {@code reason} (one line, naming what is at fault). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void fail(JobEntity job, String reason) {
        end(job, JobStatus.FAILED, reason);
    }

    /** Ends the job at a user's request: no task is sent any more, late results are ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancel(JobEntity job, String reason) {
        end(job, JobStatus.CANCELLED, reason);
    }

    private void end(JobEntity job, JobStatus status, String reason) {
        Instant now = Instant.now();
        job.status = status;
        job.failure = reason;
        job.finished = now;
        TaskEntity.cancelPending(job.id, now);
        EvaluationEntity.inStatus(job.id, RequestStatus.WAITING).forEach(e -> e.status = RequestStatus.DROPPED);
        events.statusChanged(job.id, status, reason);
    }
}
