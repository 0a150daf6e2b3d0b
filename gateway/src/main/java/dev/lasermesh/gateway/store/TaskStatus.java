package dev.lasermesh.gateway.store;

/** Where a worker task is. A result is taken only for a {@link #PENDING} task: that is the dedupe by task id. */
public enum TaskStatus {
    /** Sent (or in the outbox), no final result yet; a retryable failure keeps it pending and resends it. */
    PENDING,
    /** Its result arrived and was used. */
    DONE,
    /** It failed for good: non-retryable, or out of attempts. */
    FAILED,
    /** Its job ended before it finished; a late result is ignored. */
    CANCELLED
}
