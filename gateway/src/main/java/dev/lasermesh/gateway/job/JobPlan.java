package dev.lasermesh.gateway.job;

import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.core.model.MatrixRef;
import java.util.List;

/**
 * A submitted job once checked: everything the store needs to create it, computed before any row is
 * written, so that a bad request leaves nothing behind.
 *
 * @param spec         the resolved spec (real paths, defaults filled in)
 * @param matrices     the matrices to analyse, in the model's catalogue order
 * @param totalWindows the windows the evaluation protocol makes of the texts; null without evaluation
 * @param calibrationWindows the windows of the calibration text (DESIGN §7.4); null when the method needs no
 *                     calibration
 */
public record JobPlan(JobSpec spec, List<MatrixRef> matrices, Integer totalWindows, Integer calibrationWindows) {

    public JobPlan {
        matrices = List.copyOf(matrices);
    }
}
