package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.task.KnnAccuracy;
import dev.lasermesh.core.eval.task.SentenceEmbedder;
import dev.lasermesh.core.eval.task.TaskEvaluator;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.eval.task.TaskReport;
import dev.lasermesh.core.eval.task.TaskSplit;
import dev.lasermesh.core.search.MetricDirection;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.gateway.assembly.ArtifactTensors;
import dev.lasermesh.gateway.store.EvaluationEntity;
import dev.lasermesh.gateway.store.RequestStatus;
import dev.lasermesh.gateway.store.TaskEntity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh's side of an encoder job scored by {@code knn-accuracy} on a task folder (DESIGN §7.1),
 * mirroring core's {@code TaskSearch} so that the mesh's trace equals the standalone's:
 *
 * <ul>
 *   <li>The task's examples are numbered train 0..n−1, then test n..n+m−1 (the job's "windows"). A
 *       request the search compares — {@link Split#FULL} for the greedy strategies, {@link Split#VALIDATION}
 *       for a grid — scores train leave-one-out and embeds [0, n); a {@link Split#REPORT} request scores
 *       test and embeds [0, n+m).</li>
 *   <li>Shards are cut at multiples of {@value SentenceEmbedder#BATCH_SIZE} within each split, so every
 *       evaluator's batches are those of a whole pass and the merged embeddings are the standalone's
 *       bit for bit; the gateway concatenates them in example order and classifies with core's
 *       {@link TaskEvaluator#classify} (its neighbour and tie rules).</li>
 *   <li>When the search is done, the base model and the model with every accepted candidate are scored
 *       on test once each (requests {@value #TEST_BEFORE} and {@value #TEST_AFTER}), and the report
 *       carries both next to the search's train-LOO values ({@link TaskReport}).</li>
 * </ul>
 */
public final class TaskEvaluations {

    /** The request of the base model on test. */
    public static final String TEST_BEFORE = "test-before";
    /** The request of the final model (every accepted candidate) on test. */
    public static final String TEST_AFTER = "test-after";
    /** The split label of the two test requests. */
    static final String TEST_SPLIT = TaskSplit.TEST.cliName();

    private TaskEvaluations() {
    }

    /** Whether a (resolved) job scores a task rather than perplexity. */
    public static boolean scoresTask(JobSpec spec) {
        return spec.evaluation() != null && spec.evaluation().scoresTask();
    }

    /** Which way the job's metric is better: accuracy higher, perplexity lower. */
    static MetricDirection direction(JobSpec spec) {
        return scoresTask(spec) ? MetricDirection.HIGHER_IS_BETTER : MetricDirection.LOWER_IS_BETTER;
    }

    /** Whether a request is one of the two test requests after the search. */
    static boolean isTest(String requestId) {
        return TEST_BEFORE.equals(requestId) || TEST_AFTER.equals(requestId);
    }

    /**
     * The task folder of a resolved task evaluation, read again (it was checked when the job was
     * submitted; a folder changed since then fails the job with core's message).
     */
    public static TaskFolder folder(EvaluationSpec evaluation) {
        return TaskFolder.read(Path.of(evaluation.task()));
    }

    /** The examples [first, end) a request on {@code split} embeds. */
    static int[] examples(Split split, TaskFolder task) {
        int train = task.train().size();
        return split == Split.REPORT ? new int[] {0, train + task.test().size()} : new int[] {0, train};
    }

    /**
     * The shards of examples [first, end): about {@code count} pieces, each boundary at a multiple of the
     * embedding batch within its split (train starts at 0, test at {@code train}).
     */
    static List<WindowShard> cut(int first, int end, int train, int count) {
        List<WindowShard> shards = new ArrayList<>();
        for (WindowShard s : WindowShards.cut(first, end, count)) {
            int from = aligned(s.first(), train);
            int to = s.end() >= end ? end : aligned(s.end(), train);
            if (to > from) {
                shards.add(new WindowShard(from, to));
            }
        }
        return shards;
    }

    /** {@code at} moved down to a batch start of its split. */
    private static int aligned(int at, int train) {
        int base = at < train ? 0 : train;
        return base + (at - base) / SentenceEmbedder.BATCH_SIZE * SentenceEmbedder.BATCH_SIZE;
    }

    /**
     * Closes a request whose shards all answered: their embeddings (checked against their references)
     * concatenated in example order and classified; the request DONE with the accuracy as its value and
     * the examples classified as its count.
     *
     * @throws InvalidInputException when an embeddings file is missing or changed, or the embeddings do not
     *                               cover the task's examples
     */
    static void complete(EvaluationEntity request, List<TaskEntity> shards, EvaluationSpec evaluation,
                         ArtifactTensors artifacts) {
        TaskFolder task = folder(evaluation);
        int train = task.train().size();
        List<double[]> rows = new ArrayList<>();
        for (TaskEntity shard : shards.stream().sorted(Comparator.comparingInt(TaskEvaluations::firstExample))
                .toList()) {
            TensorRef ref = Json.read(shard.output, EvaluationOutput.class).embeddings();
            DenseMatrix embeddings;
            try (ArtifactTensors.StoredMatrix stored = artifacts.open(ref)) {
                embeddings = stored.readAll();
            }
            for (int i = 0; i < embeddings.rows(); i++) {
                double[] row = new double[embeddings.cols()];
                System.arraycopy(embeddings.data(), i * embeddings.cols(), row, 0, embeddings.cols());
                rows.add(row);
            }
        }
        if (rows.size() != request.endWindow - request.firstWindow) {
            throw new InvalidInputException("request " + request.requestId + ": the shards embedded " + rows.size()
                    + " examples, the request has " + (request.endWindow - request.firstWindow));
        }
        boolean test = request.endWindow > train;
        double[][] trainRows = rows.subList(0, train).toArray(double[][]::new);
        double[][] testRows = test ? rows.subList(train, rows.size()).toArray(double[][]::new) : null;
        KnnAccuracy.Score score = TaskEvaluator.classify(task, trainRows, testRows,
                test ? TaskSplit.TEST : TaskSplit.TRAIN_LOO);
        request.status = RequestStatus.DONE;
        request.windows = score.examples();
        request.perplexity = score.accuracy();
    }

    private static int firstExample(TaskEntity shard) {
        return Json.read(shard.payload, EvaluationTask.class).shard().first();
    }

    /** The score of a finished test request. */
    static Optional<KnnAccuracy.Score> testScore(String jobId, String requestId) {
        return EvaluationEntity.of(jobId, requestId).filter(e -> e.status == RequestStatus.DONE)
                .map(e -> new KnnAccuracy.Score(Math.toIntExact(Math.round(e.perplexity * e.windows)), e.windows));
    }

    /** The report's evaluation of a finished task job, as {@code lasermesh run --task} writes it. */
    public static Map<String, Object> report(String jobId, JobSpec spec, SearchOutcome outcome) {
        return TaskReport.evaluation(spec.evaluation().task(), outcome, testScore(jobId, TEST_BEFORE).orElseThrow(),
                testScore(jobId, TEST_AFTER).orElseThrow());
    }
}
