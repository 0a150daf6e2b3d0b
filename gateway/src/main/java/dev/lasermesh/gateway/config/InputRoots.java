package dev.lasermesh.gateway.config;

import dev.lasermesh.contracts.job.PathRoots;

/**
 * The configured model and data roots as the gateway reads through them: the job-spec validator, the
 * submit form's list of inputs and the output assembly all apply the same rule ({@link PathRoots}).
 *
 * @param models the model roots ({@code lasermesh.model-roots})
 * @param data   the data roots of the evaluation texts ({@code lasermesh.data-roots})
 */
public record InputRoots(PathRoots models, PathRoots data) {
}
