package dev.lasermesh.contracts.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.core.search.TraceEntry;

/** What a {@link JobEvent} reports, named in JSON by its {@code "type"}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobEventPayload.StatusChanged.class, name = JobEventPayload.StatusChanged.TYPE),
        @JsonSubTypes.Type(value = JobEventPayload.ProgressUpdated.class, name = JobEventPayload.ProgressUpdated.TYPE),
        @JsonSubTypes.Type(value = JobEventPayload.CandidateEvaluated.class,
                name = JobEventPayload.CandidateEvaluated.TYPE),
        @JsonSubTypes.Type(value = JobEventPayload.Log.class, name = JobEventPayload.Log.TYPE)})
public sealed interface JobEventPayload {

    /**
     * The job moved to another status.
     *
     * @param status the new status
     * @param reason why, for {@code FAILED} and {@code CANCELLED}; null otherwise
     */
    record StatusChanged(JobStatus status, String reason) implements JobEventPayload {

        public static final String TYPE = "status-changed";

        public StatusChanged {
            Require.present(status, "status");
        }
    }

    /**
     * Task counts changed.
     *
     * @param progress the counts now
     */
    record ProgressUpdated(JobProgress progress) implements JobEventPayload {

        public static final String TYPE = "progress";

        public ProgressUpdated {
            Require.present(progress, "progress");
        }
    }

    /**
     * The search decided a candidate: core's trace entry (the candidate view of docs/contracts.md).
     *
     * @param candidate the matrix, rank, SNR or ρ, split, perplexity, the value it was compared with,
     *                  and whether it was accepted
     */
    record CandidateEvaluated(TraceEntry candidate) implements JobEventPayload {

        public static final String TYPE = "candidate-evaluated";

        public CandidateEvaluated {
            Require.present(candidate, "candidate");
        }
    }

    /**
     * A line for the job's log.
     *
     * @param level   {@code INFO}, {@code WARN} or {@code ERROR}
     * @param message the line
     */
    record Log(Level level, String message) implements JobEventPayload {

        public static final String TYPE = "log";

        /** How much a log line matters. */
        public enum Level { INFO, WARN, ERROR }

        public Log {
            Require.present(level, "level");
            Require.text(message, "message");
        }
    }
}
