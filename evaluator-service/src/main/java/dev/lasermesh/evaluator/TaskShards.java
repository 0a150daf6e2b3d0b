package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.worker.TensorDigests;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * Task evaluations (DESIGN §7.1): the embeddings of a shard of a task's examples under the base encoder
 * with the task's overlays, written to the artifact store as one F64 tensor [examples, hidden] —
 * the partial result the gateway merges before it classifies (k-NN needs every embedding). Embeddings
 * are a function of the task, so a redelivered task rewrites the same file with the same bytes.
 *
 * <p>Every task's model must resolve inside the model roots, its task folder and both split files
 * inside the data roots, checked for each task as for texts.
 */
final class TaskShards implements AutoCloseable {

    /** The tensor's name in each embeddings file. */
    static final String TENSOR = "embeddings";

    private final Path artifactRoot;
    private final PathRoots modelRoots;
    private final PathRoots dataRoots;
    private final OverlayCache overlays;
    private final LeasedCache<TaskShardKey, TaskShardEmbedder> embedders;

    TaskShards(Path artifactRoot, PathRoots modelRoots, PathRoots dataRoots, OverlayCache overlays,
               EvaluatorLimits limits) {
        this.artifactRoot = artifactRoot;
        this.modelRoots = modelRoots;
        this.dataRoots = dataRoots;
        this.overlays = overlays;
        this.embedders = new LeasedCache<>(limits.maxEvaluators(), key -> {
            Runtime heap = Runtime.getRuntime();
            long free = heap.maxMemory() - (heap.totalMemory() - heap.freeMemory());
            return new TaskShardEmbedder(key, limits.threads(), Math.min(limits.cacheBytes(), free / 4));
        });
    }

    /** The shard's embeddings, stored; {@code start} is when the task was taken (for its seconds). */
    EvaluationOutput embed(EvaluationTask task, long start) {
        TaskShardKey key = TaskShardKey.of(task);
        ModelFolders.requireInside(modelRoots, key.model(), "modelPath");
        dataRoots.requireInside(key.task(), "evaluation.task " + key.task().getFileName(), "evaluation.task");
        for (String file : List.of(TaskFolder.TRAIN_FILE, TaskFolder.TEST_FILE)) {
            dataRoots.requireInside(key.task().resolve(file), "evaluation.task file " + file, "evaluation.task");
        }
        try (LeasedCache.Lease<TaskShardEmbedder> lease = embedders.acquire(key)) {
            TaskShardEmbedder embedder = lease.value();
            EncoderState state = embedder.baseState();
            for (Overlay overlay : task.overlays()) {
                state = state.with(overlay.replaces(), overlays.values(overlay));
            }
            long embedStart = System.nanoTime();
            double[][] rows = embedder.embed(state);
            double seconds = (System.nanoTime() - embedStart) / 1e9;
            TensorRef ref = store(task, rows);
            return new EvaluationOutput(embedder.totalExamples(), (System.nanoTime() - start) / 1e9,
                    embedder.tokens() / Math.max(seconds, 1e-9), EvaluationHandler.BACKEND, ref);
        }
    }

    /** {@code jobs/<job>/embeddings/<request>.<first>-<end>.safetensors}, written whole, then moved into place. */
    private TensorRef store(EvaluationTask task, double[][] rows) {
        String path = "jobs/" + task.jobId() + "/embeddings/" + task.requestId() + "." + task.shard().first() + "-"
                + (task.shard().end() == null ? "end" : task.shard().end()) + ".safetensors";
        int hidden = rows.length == 0 ? 0 : rows[0].length;
        double[] values = new double[rows.length * hidden];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, values, i * hidden, hidden);
        }
        long[] shape = {rows.length, hidden};
        Path file = artifactRoot.resolve(path);
        Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(file.getParent());
            new SafetensorsWriter(temp).put(TENSOR, DType.F64, shape, values).write();
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + " failed", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the move took it, or nothing was written
            }
        }
        return new TensorRef(path, TENSOR, DType.F64, List.of((long) rows.length, (long) hidden),
                TensorDigests.sha256(values, DType.F64));
    }

    @Override
    public void close() {
        embedders.close();
    }
}
