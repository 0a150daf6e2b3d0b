package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.Require;

/**
 * Task counts of a job per stage.
 *
 * @param analysis   analysis tasks (one per selected matrix)
 * @param reduction  reduction tasks (one per matrix and rank to write)
 * @param evaluation evaluation tasks (one per shard of each model state evaluated)
 */
public record JobProgress(StageProgress analysis, StageProgress reduction, StageProgress evaluation) {

    public JobProgress {
        Require.present(analysis, "analysis");
        Require.present(reduction, "reduction");
        Require.present(evaluation, "evaluation");
    }
}
