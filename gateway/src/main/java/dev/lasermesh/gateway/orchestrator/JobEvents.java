package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.job.JobEventPayload;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.gateway.outbox.Outbox;
import dev.lasermesh.gateway.store.ProgressQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/** Writes a job's events ({@code lasermesh.job-events}) to the outbox, in the transaction of the change they report. */
@ApplicationScoped
public class JobEvents {

    private final Outbox outbox;

    @Inject
    public JobEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The job moved to {@code status}; {@code reason} for FAILED and CANCELLED, else null. */
    public void statusChanged(String jobId, JobStatus status, String reason) {
        emit(jobId, new JobEventPayload.StatusChanged(status, reason));
    }

    /** The job's task counts changed. */
    public void progress(String jobId) {
        emit(jobId, new JobEventPayload.ProgressUpdated(ProgressQuery.of(jobId)));
    }

    /** The search decided a candidate. */
    public void candidateEvaluated(String jobId, TraceEntry entry) {
        emit(jobId, new JobEventPayload.CandidateEvaluated(entry));
    }

    /** A line for the job's log. */
    public void log(String jobId, JobEventPayload.Log.Level level, String message) {
        emit(jobId, new JobEventPayload.Log(level, message));
    }

    private void emit(String jobId, JobEventPayload payload) {
        outbox.append(JobEvent.of(jobId, Instant.now(), payload));
    }
}
