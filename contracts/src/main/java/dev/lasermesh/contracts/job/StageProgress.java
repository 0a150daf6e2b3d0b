package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;

/**
 * Task counts of one stage of a job. {@code total} counts the tasks planned so far: a search plans
 * evaluations as it goes, so its total grows.
 *
 * @param total  tasks planned
 * @param done   tasks that succeeded
 * @param failed tasks that failed
 */
public record StageProgress(int total, int done, int failed) {

    /** No task planned. */
    public static final StageProgress NONE = new StageProgress(0, 0, 0);

    public StageProgress {
        Require.nonNegative(total, "total");
        Require.nonNegative(done, "done");
        Require.nonNegative(failed, "failed");
        if ((long) done + failed > total) {
            throw new ContractException("done " + done + " + failed " + failed + " exceed total " + total, "total");
        }
    }
}
