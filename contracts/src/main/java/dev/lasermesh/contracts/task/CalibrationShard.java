package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.Require;

/**
 * What an evaluator wrote for one shard of a job's calibration windows (DESIGN §7.4): the statistics of
 * the inputs of the job's matrices on those windows, one {@code layer-NNN.safetensors} per decoder layer
 * (core's {@code CalibrationStore}); the gateway merges the shards' into the statistics of one pass.
 *
 * @param statistics the shard's folder, relative to the artifact store root
 * @param windows    the calibration windows of the shard
 */
public record CalibrationShard(String statistics, int windows) {

    public CalibrationShard {
        ArtifactPath.check(statistics, "statistics");
        Require.nonNegative(windows, "windows");
    }
}
