package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.worker.TaskHandler;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PartialSums;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * An evaluation task (DESIGN §2 step 5, §3.2): the base model with the task's overlays applied, scored
 * on the task's shard of windows, answered with exact partial sums that the gateway adds up across
 * shards to exactly the sums of one pass.
 *
 * <p>Evaluators are kept per (model, texts, protocol, shard) and anchored on the base model, so the
 * tasks of a search reuse hidden states: a candidate changing layer l recomputes layers ≥ l only.
 * How many are kept, and how much memory each may hold, is bounded ({@link EvaluatorLimits}); a new
 * evaluator's hidden-state budget is also capped at a quarter of the heap still free, so a crowded
 * worker trades speed (fewer cached layers, same numbers) for staying alive.
 *
 * <p>A task evaluation (an encoder's {@code knn-accuracy}, DESIGN §7.1) is answered with the embeddings
 * of its shard of examples instead ({@link TaskShards}); a calibration task (DESIGN §7.4) with the
 * statistics of its shard of the calibration windows ({@link CalibrationShards}).
 *
 * <p>Every task's model must resolve inside the model roots ({@link ModelFolders}) and its texts inside
 * the data roots, checked again here for each task: the files may have become links elsewhere after the
 * job was submitted.
 */
public final class EvaluationHandler implements TaskHandler<EvaluationTask, EvaluationResult>, AutoCloseable {

    /** The forward pass: Java with OpenBLAS sgemm for the products. */
    static final String BACKEND = "cpu-openblas";

    private final LeasedCache<Path, BaseModel> models;
    private final LeasedCache<ShardKey, ShardEvaluator> evaluators;
    private final OverlayCache overlays;
    private final TaskShards tasks;
    private final CalibrationShards calibrations;
    private final DoubleConsumer tokensPerSecond;
    private final PathRoots modelRoots;
    private final PathRoots dataRoots;

    /**
     * @param artifactRoot    the artifact store's root folder (overlay paths are relative to it)
     * @param modelRoots      the roots the tasks' models must lie in
     * @param dataRoots       the roots the tasks' texts must lie in
     * @param limits          threads and memory bounds
     * @param tokensPerSecond receives each task's scoring rate (for the service's metrics)
     */
    public EvaluationHandler(Path artifactRoot, PathRoots modelRoots, PathRoots dataRoots, EvaluatorLimits limits,
                             DoubleConsumer tokensPerSecond) {
        this.modelRoots = modelRoots;
        this.dataRoots = dataRoots;
        this.models = new LeasedCache<>(limits.maxModels(), BaseModel::open);
        this.evaluators = new LeasedCache<>(limits.maxEvaluators(), key -> shardEvaluator(key, limits));
        this.overlays = new OverlayCache(artifactRoot, limits.overlayBytes());
        this.tasks = new TaskShards(artifactRoot, modelRoots, dataRoots, overlays, limits);
        this.calibrations = new CalibrationShards(artifactRoot, modelRoots, dataRoots, models, limits.threads());
        this.tokensPerSecond = tokensPerSecond;
    }

    private ShardEvaluator shardEvaluator(ShardKey key, EvaluatorLimits limits) {
        LeasedCache.Lease<BaseModel> model = models.acquire(key.model());
        try {
            Runtime heap = Runtime.getRuntime();
            long free = heap.maxMemory() - (heap.totalMemory() - heap.freeMemory());
            return new ShardEvaluator(model, model.value().plan(key.texts(), key.protocol()), key, limits.threads(),
                    Math.min(limits.cacheBytes(), free / 4));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public Class<EvaluationTask> taskType() {
        return EvaluationTask.class;
    }

    @Override
    public EvaluationResult handle(EvaluationTask task) {
        long start = System.nanoTime();
        if (task.calibrates()) {
            EvaluationOutput out = calibrations.calibrate(task, start);
            tokensPerSecond.accept(out.tokensPerSecond());
            return EvaluationResult.completed(task, out);
        }
        if (task.evaluation().scoresTask()) {
            EvaluationOutput out = tasks.embed(task, start);
            tokensPerSecond.accept(out.tokensPerSecond());
            return EvaluationResult.completed(task, out);
        }
        ShardKey key = ShardKey.of(task);
        ModelFolders.requireInside(modelRoots, key.model(), "modelPath");
        for (int i = 0; i < key.texts().size(); i++) {
            String field = "evaluation.texts[" + i + "]";
            dataRoots.requireInside(key.texts().get(i), field + " " + key.texts().get(i).getFileName(), field);
        }
        try (LeasedCache.Lease<ShardEvaluator> lease = evaluators.acquire(key)) {
            ShardEvaluator evaluator = lease.value();
            Map<String, float[]> replaced = new LinkedHashMap<>();
            for (Overlay overlay : task.overlays()) {
                replaced.put(overlay.replaces(), overlays.values(overlay));
            }
            ModelState state = evaluator.baseState().withAll(replaced);
            ShardEvaluator.Score score = evaluator.score(state);
            tokensPerSecond.accept(score.tokensPerSecond());
            PartialSums sums = score.state().sums();
            return EvaluationResult.completed(task, new EvaluationOutput(
                    new EvaluationSums(sums.nllSum(), sums.tokens(), sums.windows(), sums.windowMeanSum()),
                    evaluator.totalWindows(), (System.nanoTime() - start) / 1e9, score.tokensPerSecond(), BACKEND));
        }
    }

    @Override
    public boolean succeeded(EvaluationResult result) {
        return result.succeeded();
    }

    @Override
    public EvaluationResult failed(EvaluationTask task, TaskFailure failure) {
        return EvaluationResult.failed(task, failure);
    }

    /** Closes the kept evaluators and models (those in use close when their task ends). */
    @Override
    public void close() {
        tasks.close();
        evaluators.close();
        models.close();
    }
}
