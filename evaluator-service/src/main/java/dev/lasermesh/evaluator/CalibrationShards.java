package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.CalibrationShard;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Calibration tasks (DESIGN §7.4): core's {@link CalibrationPass} over the task's shard of the calibration
 * windows, on the original model, writing the statistics of the inputs of the task's matrices to the
 * artifact store as a folder of one {@code layer-NNN.safetensors} per decoder layer. Shards are cut on the
 * pass's blocks of windows, and their double-double sums merge exactly ({@code CalibrationStore.merge}), so
 * the gateway's merge of the shards equals one pass; a shard cut elsewhere is refused.
 * The statistics are a function of the task, so a redelivered task finds the folder written before and
 * keeps it; a folder is published whole (written under a temporary name, then renamed).
 *
 * <p>The model must resolve inside the model roots and the calibration text inside the data roots,
 * checked again for each task as for evaluation texts.
 */
final class CalibrationShards {

    private final Path artifactRoot;
    private final PathRoots modelRoots;
    private final PathRoots dataRoots;
    private final LeasedCache<Path, BaseModel> models;
    private final int threads;

    CalibrationShards(Path artifactRoot, PathRoots modelRoots, PathRoots dataRoots, LeasedCache<Path, BaseModel> models,
                      int threads) {
        this.artifactRoot = artifactRoot;
        this.modelRoots = modelRoots;
        this.dataRoots = dataRoots;
        this.models = models;
        this.threads = threads;
    }

    /** {@code jobs/<job>/calibration/shards/<first>-<end>}: where the statistics of a shard go. */
    static String folder(String jobId, WindowShard shard) {
        return "jobs/" + jobId + "/calibration/shards/" + shard.first() + "-"
                + (shard.end() == null ? "last" : shard.end());
    }

    /** The shard's statistics, stored; {@code start} is when the task was taken (for its seconds). */
    EvaluationOutput calibrate(EvaluationTask task, long start) {
        Path model = ModelFolders.requireInside(modelRoots, Path.of(task.modelPath()), "modelPath");
        Path text = Path.of(task.calibration().text());
        dataRoots.requireInside(text, "calibration.text " + text.getFileName(), "calibration.text");
        try (LeasedCache.Lease<BaseModel> lease = models.acquire(model);
             ModelSource source = ModelSource.open(model)) {
            WindowPlan all = lease.value().plan(List.of(text), task.calibration().windowProtocol());
            int total = all.windows().size();
            int first = Math.min(task.shard().first(), total);
            int end = task.shard().end() == null ? total : Math.min(task.shard().end(), total);
            requireBlocks(first, end, total, CalibrationPass.blockWindows(task.calibration().windowProtocol().window()));
            WindowPlan shard = all.range(first, end);
            List<MatrixRef> matrices = task.matrices().stream().map(source.catalogue()::byName).toList();
            String path = folder(task.jobId(), task.shard());
            long calibrateStart = System.nanoTime();
            publish(ArtifactPath.resolve(artifactRoot, path), temp -> CalibrationPass.run(lease.value().weights(),
                    shard, matrices, temp, threads, CalibrationPass.Progress.NONE));
            double seconds = (System.nanoTime() - calibrateStart) / 1e9;
            long tokens = shard.windows().stream().mapToLong(w -> w.tokens().length).sum();
            return new EvaluationOutput(null, total, (System.nanoTime() - start) / 1e9,
                    tokens / Math.max(seconds, 1e-9), EvaluationHandler.BACKEND, null,
                    new CalibrationShard(path, shard.windows().size()));
        }
    }

    /**
     * A shard must begin and end where the pass's blocks do (or end with the windows): the statistics sum
     * each block's XᵀX, so only shards cut on blocks merge to exactly one pass's ({@code CalibrationPass}).
     */
    private static void requireBlocks(int first, int end, int total, int block) {
        if (first % block != 0 || end % block != 0 && end != total) {
            throw new InvalidInputException("calibration shard [" + first + ", " + end + ") of " + total
                    + " windows is not cut on blocks of " + block + " windows (its statistics would not merge exactly)");
        }
    }

    /**
     * Writes the statistics into a temporary folder beside {@code folder} and renames it; a folder published
     * before (a redelivered task: the same statistics) is kept.
     */
    private static void publish(Path folder, java.util.function.Consumer<Path> write) {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path temp = folder.resolveSibling(folder.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(folder.getParent());
            write.accept(temp);
            Files.createDirectories(temp);
            Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(folder)) {
                throw new UncheckedIOException("writing the calibration statistics " + folder.getFileName()
                        + " failed", e);
            }
        } finally {
            delete(temp);
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing the temporary folder " + folder.getFileName() + " failed", e);
        }
    }
}
