package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.Require;

/**
 * An error a job met.
 *
 * @param taskId  the task that failed; null for an error of the job itself (e.g. assembling the output)
 * @param message one line naming the file, tensor, field or value at fault
 */
public record JobError(String taskId, String message) {

    public JobError {
        Require.text(message, "message");
    }
}
