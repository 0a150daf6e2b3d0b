package dev.lasermesh.gateway.assembly;

/**
 * A job reached {@code ASSEMBLING}; fired inside the transaction that moved it there and observed after
 * that transaction commits, so the output is only written for a committed decision.
 *
 * @param jobId the job
 */
public record AssemblyRequested(String jobId) {
}
