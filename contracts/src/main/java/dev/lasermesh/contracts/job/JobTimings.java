package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.Require;
import java.time.Instant;

/**
 * When a job ran and how much worker time each stage took.
 *
 * @param submitted         when the gateway accepted the job
 * @param started           when its first task was sent; null while {@code QUEUED}
 * @param finished          when it ended; null while running
 * @param analysisSeconds   Σ of the analysis tasks' seconds (worker time, not wall-clock)
 * @param reductionSeconds  Σ of the reduction tasks' seconds
 * @param evaluationSeconds Σ of the evaluation tasks' seconds
 */
public record JobTimings(Instant submitted, Instant started, Instant finished, double analysisSeconds,
                         double reductionSeconds, double evaluationSeconds) {

    public JobTimings {
        Require.present(submitted, "submitted");
        Require.nonNegative(analysisSeconds, "analysisSeconds");
        Require.nonNegative(reductionSeconds, "reductionSeconds");
        Require.nonNegative(evaluationSeconds, "evaluationSeconds");
    }
}
