package dev.lasermesh.gateway.orchestrator;

/**
 * Every calibration shard of a job has answered; fired inside the transaction that took the last one and
 * observed after that transaction commits ({@link CalibrationMerger}), so the statistics are only merged
 * for a committed decision.
 *
 * @param jobId the job
 */
public record CalibrationMergeRequested(String jobId) {
}
