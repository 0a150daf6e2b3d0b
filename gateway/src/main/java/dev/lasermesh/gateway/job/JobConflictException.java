package dev.lasermesh.gateway.job;

/** A request that the job's current state does not allow (cancelling an ended job, reading a report not yet written). */
public class JobConflictException extends RuntimeException {

    public JobConflictException(String message) {
        super(message);
    }
}
