package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.Topics;
import java.time.Instant;

/**
 * Something that happened to a job, on {@link Topics#JOB_EVENTS}, for the dashboard's live view
 * (DESIGN §2). What happened is the payload's {@code "type"}: {@code status-changed},
 * {@code progress}, {@code candidate-evaluated} or {@code log}.
 *
 * @param version   contract version, {@link ContractVersion#CURRENT}
 * @param jobId     the job
 * @param timestamp when it happened (UTC)
 * @param payload   what happened
 */
public record JobEvent(int version, String jobId, Instant timestamp, JobEventPayload payload) implements Message {

    public JobEvent {
        ContractVersion.require(version, "JobEvent");
        Require.text(jobId, "jobId");
        Require.present(timestamp, "timestamp");
        Require.present(payload, "payload");
    }

    /** An event of the current contract version. */
    public static JobEvent of(String jobId, Instant timestamp, JobEventPayload payload) {
        return new JobEvent(ContractVersion.CURRENT, jobId, timestamp, payload);
    }

    @Override
    public String topic() {
        return Topics.JOB_EVENTS;
    }

    /** The job id: one job's events stay on one partition, in order. */
    @Override
    public String key() {
        return jobId;
    }
}
