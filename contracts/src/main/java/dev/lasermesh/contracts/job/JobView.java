package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.Require;
import java.util.List;

/**
 * A job as {@code GET /api/v1/jobs/{id}} shows it. REST responses are versioned by the API path
 * ({@code /api/v1}), so, unlike messages, they carry no {@code version} field.
 *
 * @param id                 the job id
 * @param status             where the job is
 * @param spec               the job spec as resolved (real paths, defaults filled in)
 * @param progress           task counts per stage
 * @param timings            when it ran, worker seconds per stage
 * @param errors             errors met so far, oldest first (failed tasks, the job's own failure)
 * @param baselinePerplexity the base model's perplexity; null until measured or without evaluation
 * @param finalPerplexity    the reduced model's perplexity; null until measured or without evaluation
 * @param output             the output model folder, relative to the artifact store root; null until
 *                           {@code SUCCEEDED}
 */
public record JobView(String id, JobStatus status, JobSpec spec, JobProgress progress, JobTimings timings,
                      List<JobError> errors, Double baselinePerplexity, Double finalPerplexity, String output) {

    public JobView {
        Require.text(id, "id");
        Require.present(status, "status");
        Require.present(spec, "spec");
        Require.present(progress, "progress");
        Require.present(timings, "timings");
        errors = Require.elements(errors, "errors");
        if (output != null) {
            ArtifactPath.check(output, "output");
        }
    }
}
