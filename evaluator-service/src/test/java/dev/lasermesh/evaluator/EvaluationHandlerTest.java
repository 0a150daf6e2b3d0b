package dev.lasermesh.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.contracts.worker.TaskOutcome;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.contracts.worker.TensorDigests;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.eval.task.KnnAccuracy;
import dev.lasermesh.core.eval.task.TaskEvaluator;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.eval.task.TaskSplit;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.FactoredReduction;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import java.io.IOException;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator's work without Kafka, on tiny-llama and the first 8192 tokens of
 * sotu-2009-2021.txt under laserRMT's protocol (windows of 128): perplexities against the independent
 * PyTorch values of tiny-llama/reference.json ({@code perplexity.float32.laserrmt} and, with
 * {@code model.layers.5.mlp.down_proj.weight} replaced by its float32 rank-89 reconstruction,
 * {@code laser.matrices.<it>.perplexity_after.float32.laserrmt}) within 1e-6 relative; shard sums
 * that add up exactly; overlays checked before use. One handler serves all tests, as one service
 * would, so its evaluators are built once.
 */
class EvaluationHandlerTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path TINY_LLAMA = FIXTURES.resolve("tiny-llama");
    private static final String TEXT = FIXTURES.resolve("text/sotu-2009-2021.txt").toString();
    private static final String DOWN = "model.layers.5.mlp.down_proj.weight";
    private static final double RELATIVE = 1e-6;

    @TempDir
    static Path store;
    /** A model root and a data root besides the fixtures, for links out of them. */
    @TempDir
    static Path roots;
    private static JsonNode reference;
    private static EvaluationHandler handler;
    private static final List<Double> rates = new ArrayList<>();
    private static TaskRunner<EvaluationTask, EvaluationResult> runner;

    @BeforeAll
    static void start() throws IOException {
        reference = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                .readTree(TINY_LLAMA.resolve("reference.json").toFile());
        Files.createDirectories(roots.resolve("models"));
        Files.createDirectories(roots.resolve("data"));
        handler = new EvaluationHandler(store, new PathRoots("model", List.of(FIXTURES, roots.resolve("models"))),
                new PathRoots("data", List.of(FIXTURES.resolve("text"), FIXTURES.resolve("minilm"), roots.resolve("data"))),
                new EvaluatorLimits(2, 64L << 20, 8, 1, 64L << 20), rates::add);
        runner = new TaskRunner<>(handler, 0);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    private static EvaluationTask task(String request, WindowShard shard, List<Overlay> overlays) {
        return task(TINY_LLAMA, TEXT, request, shard, overlays);
    }

    private static EvaluationTask task(Path model, String text, String request, WindowShard shard,
                                       List<Overlay> overlays) {
        return new EvaluationTask(ContractVersion.CURRENT, "j-1", TaskIds.evaluation("j-1", request, shard), request,
                model.toString(), overlays, new EvaluationSpec(List.of(text), "laserrmt", 128, 128, 8192), shard);
    }

    private static EvaluationResult evaluate(EvaluationTask task) {
        TaskOutcome outcome = runner.run(Json.write(task));
        assertEquals(task.taskId(), outcome.key());
        return Json.read(outcome.json(), EvaluationResult.class);
    }

    private static EvaluationSums sums(EvaluationTask task) {
        EvaluationResult result = evaluate(task);
        assertTrue(result.succeeded(), () -> result.failure().reason());
        return result.output().sums();
    }

    /** laserRMT: exp of the mean over windows of each window's mean loss (DESIGN §3.2). */
    private static double laserRmtPerplexity(EvaluationSums sums) {
        return Math.exp(sums.windowMeanSum().divide(java.math.BigDecimal.valueOf(sums.windows()), MathContext.DECIMAL64)
                .doubleValue());
    }

    private static void assertRelative(double expected, double actual, String what) {
        System.out.printf("%s: %.10f, expected %.10f, relative error %.2e%n", what, actual, expected,
                Math.abs(actual - expected) / expected);
        assertEquals(expected, actual, RELATIVE * expected, what);
    }

    @Test
    void baseModelPerplexityMatchesTheReferenceAndShardsAddUpExactly() {
        EvaluationResult whole = evaluate(task("base", WindowShard.ALL, List.of()));
        EvaluationSums one = whole.output().sums();
        assertEquals(64, whole.output().totalWindows());
        assertEquals(64, one.windows());
        assertEquals(64 * 127, one.tokens());
        assertRelative(reference.at("/perplexity/float32/laserrmt/ppl").asDouble(), laserRmtPerplexity(one), "base ppl");
        assertTrue(whole.output().tokensPerSecond() > 0);

        EvaluationSums merged = sums(task("base", new WindowShard(0, 21), List.of()))
                .plus(sums(task("base", new WindowShard(21, 42), List.of())))
                .plus(sums(task("base", new WindowShard(42, null), List.of())));
        assertEquals(one, merged);
        assertEquals(0, one.nllSum().compareTo(merged.nllSum()));
    }

    @Test
    void reducedDownProjectionScoresTheReferencePerplexity() throws IOException {
        int k = reference.at("/laser/matrices/" + DOWN + "/k").asInt();
        Overlay dense = denseOverlay(k);
        EvaluationSums sums = sums(task("candidate", WindowShard.ALL, List.of(dense)));
        assertRelative(reference.at("/laser/matrices/" + DOWN + "/perplexity_after/float32/laserrmt/ppl").asDouble(),
                laserRmtPerplexity(sums), "ppl with the reduced matrix");
        EvaluationSums factored = sums(task("factored", WindowShard.ALL, List.of(factoredOverlay(k))));
        assertRelative(laserRmtPerplexity(sums), laserRmtPerplexity(factored), "factored vs dense overlay");
    }

    /** A reduce --factored output folder as the task's model: read as the standalone's eval reads it. */
    @Test
    void factoredOutputFolderAsTheModelScoresLikeTheDenseOverlay() throws IOException {
        int k = reference.at("/laser/matrices/" + DOWN + "/k").asInt();
        Path folder = roots.resolve("models/factored-output");
        try (ModelSource model = ModelSource.open(TINY_LLAMA)) {
            LinearAlgebra linearAlgebra = LinearAlgebras.create(1);
            MatrixAnalysis down = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy())
                    .analyze(model, model.catalogue().byName(DOWN));
            new ReducedModelWriter(linearAlgebra).write(model, List.of(down), StorageForm.FACTORED, folder,
                    Map.of("name", "laserrmt"), (done, total, name) -> { });
        }
        EvaluationSums dense = sums(task("candidate", WindowShard.ALL, List.of(denseOverlay(k))));
        EvaluationSums factored = sums(task(folder, TEXT, "factored-folder", WindowShard.ALL, List.of()));
        assertRelative(laserRmtPerplexity(dense), laserRmtPerplexity(factored), "factored folder as the model vs dense overlay");
        EvaluationSums halves = sums(task(folder, TEXT, "factored-folder", new WindowShard(0, 32), List.of()))
                .plus(sums(task(folder, TEXT, "factored-folder", new WindowShard(32, null), List.of())));
        assertEquals(factored, halves, "shards of the factored model add up exactly");
    }

    @Test
    void sameOverlayYieldsTheSameValuesForIncrementalEvaluation() throws IOException {
        Overlay dense = denseOverlay(89);
        OverlayCache cache = new OverlayCache(store, 1 << 20);
        assertSame(cache.values(dense), cache.values(dense));
    }

    @Test
    void shardBeyondTheLastWindowIsEmpty() {
        EvaluationResult result = evaluate(task("base", new WindowShard(70, 80), List.of()));
        assertEquals(EvaluationSums.ZERO, result.output().sums());
        assertEquals(64, result.output().totalWindows());
    }

    @Test
    void overlayWhoseChecksumDiffersFailsTheTask() throws IOException {
        Overlay dense = denseOverlay(89);
        TensorRef ref = dense.tensors().getFirst();
        TensorRef wrong = new TensorRef(ref.path(), ref.tensor(), ref.dtype(), ref.shape(), "0".repeat(64));
        TaskFailure failure = evaluate(task("bad", WindowShard.ALL, List.of(new Overlay(DOWN, List.of(wrong))))).failure();
        assertTrue(failure.reason().contains("sha256") && failure.reason().contains(ref.path()), failure.reason());
        assertFalse(failure.retryable());
    }

    @Test
    void missingOverlayFileFailsTheTask() {
        TensorRef missing = new TensorRef("jobs/j-1/reduced/none.safetensors", DOWN, DType.F32, List.of(256L, 704L),
                "0".repeat(64));
        TaskFailure failure = evaluate(task("missing", WindowShard.ALL, List.of(new Overlay(DOWN, List.of(missing)))))
                .failure();
        assertTrue(failure.reason().contains("none.safetensors"), failure.reason());
        assertFalse(failure.retryable());
    }

    @Test
    void overlayForATensorTheModelDoesNotHaveFailsTheTask() throws IOException {
        TensorRef ref = denseOverlay(89).tensors().getFirst();
        TaskFailure failure = evaluate(task("unknown", WindowShard.ALL,
                List.of(new Overlay("model.layers.9.mlp.down_proj.weight", List.of(ref))))).failure();
        assertTrue(failure.reason().contains("model.layers.9.mlp.down_proj.weight"), failure.reason());
    }

    @Test
    void missingTextFailsTheTask() {
        EvaluationTask task = task("base", WindowShard.ALL, List.of());
        EvaluationTask noText = new EvaluationTask(task.version(), task.jobId(), task.taskId(), task.requestId(),
                task.modelPath(), List.of(), new EvaluationSpec(List.of(store.resolve("none.txt").toString()),
                "laserrmt", 128, 128, null), task.shard());
        TaskFailure failure = evaluate(noText).failure();
        assertTrue(failure.reason().contains("none.txt"), failure.reason());
    }

    /** The float32 rank-k reconstruction as a reducer stores it (core's truncator, written with its checksum). */
    private static Overlay denseOverlay(int k) throws IOException {
        String path = "jobs/j-1/reduced/" + DOWN + ".dense-k" + k + ".safetensors";
        Path file = store.resolve(path);
        double[] values;
        try (ModelSource model = ModelSource.open(TINY_LLAMA)) {
            MatrixRef matrix = model.catalogue().byName(DOWN);
            MatrixTruncator truncator = new MatrixTruncator(LinearAlgebras.create(1));
            values = truncator.dense(model, matrix, singularValues(), k).reconstruction().data();
        }
        if (!Files.exists(file)) {
            new SafetensorsWriter(file).put(DOWN, DType.F32, new long[] {256, 704}, values).write();
        }
        return new Overlay(DOWN, List.of(new TensorRef(path, DOWN, DType.F32, List.of(256L, 704L),
                TensorDigests.sha256(values, DType.F32))));
    }

    private static Overlay factoredOverlay(int k) {
        String path = "jobs/j-1/reduced/" + DOWN + ".factored-k" + k + ".safetensors";
        FactoredReduction reduction;
        try (ModelSource model = ModelSource.open(TINY_LLAMA)) {
            reduction = new MatrixTruncator(LinearAlgebras.create(1))
                    .factored(model, model.catalogue().byName(DOWN), singularValues(), k);
        }
        double[] left = reduction.factors().a().data();
        double[] right = reduction.factors().b().data();
        new SafetensorsWriter(store.resolve(path)).put(DOWN + ".left", DType.F32, new long[] {256, k}, left)
                .put(DOWN + ".right", DType.F32, new long[] {k, 704}, right).write();
        return new Overlay(DOWN, List.of(
                new TensorRef(path, DOWN + ".left", DType.F32, List.of(256L, (long) k), TensorDigests.sha256(left, DType.F32)),
                new TensorRef(path, DOWN + ".right", DType.F32, List.of((long) k, 704L), TensorDigests.sha256(right, DType.F32))));
    }

    private static double[] singularValues() {
        JsonNode s = reference.at("/laser/matrices/" + DOWN + "/singular_values");
        double[] values = new double[s.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = s.get(i).asDouble();
        }
        return values;
    }

    /**
     * A task whose tokenizer or text has become a link out of the roots since the job was submitted fails,
     * naming the file.
     */
    @Test
    void aTaskWhoseFilesLinkOutOfTheRootsFails(@TempDir Path outside) throws IOException {
        Path model = Files.createDirectory(roots.resolve("models/linked"));
        for (String file : List.of("config.json", "model.safetensors")) {
            Files.copy(TINY_LLAMA.resolve(file), model.resolve(file));
        }
        Files.createSymbolicLink(model.resolve("tokenizer.json"),
                Files.copy(TINY_LLAMA.resolve("tokenizer.json"), outside.resolve("tokenizer.json")));
        TaskFailure tokenizer = evaluate(task(model, TEXT, "r-linked", new WindowShard(0, null), List.of())).failure();
        assertEquals("modelPath linked: tokenizer.json is outside the configured model roots", tokenizer.reason());
        assertFalse(tokenizer.retryable());
        Path text = Files.createSymbolicLink(roots.resolve("data/leak.txt"),
                Files.copy(Path.of(TEXT), outside.resolve("sotu.txt")));
        TaskFailure leak = evaluate(task(TINY_LLAMA, text.toString(), "r-leak", new WindowShard(0, null), List.of()))
                .failure();
        assertEquals("evaluation.texts[0] leak.txt is outside the configured data roots", leak.reason());
    }
    private static EvaluationTask taskShard(String request, WindowShard shard) {
        Path minilm = FIXTURES.resolve("minilm");
        return new EvaluationTask(ContractVersion.CURRENT, "j-1", TaskIds.evaluation("j-1", request, shard), request,
                minilm.toString(), List.of(), EvaluationSpec.ofTask(minilm.resolve("task").toString()), shard);
    }

    /**
     * An encoder's task (DESIGN §7.1) in three shards, the middle one across the train/test boundary: each
     * answer is its examples' embeddings in the store, and merged in example order they classify the test
     * split as {@code minilm/search-reference.json} counts it for the base model (318 of 400).
     */
    @Test
    void taskShardsEmbedTheirExamplesAndMergeToTheReferenceTestAccuracy() throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (WindowShard shard : List.of(new WindowShard(0, 208), new WindowShard(208, 416), new WindowShard(416, 800))) {
            EvaluationResult result = evaluate(taskShard("test-before", shard));
            assertTrue(result.succeeded(), () -> result.failure().reason());
            assertEquals(800, result.output().totalWindows(), "train and test examples");
            TensorRef ref = result.output().embeddings();
            assertEquals(List.of((long) (shard.end() - shard.first()), 384L), ref.shape());
            double[] values;
            try (SafetensorsFile file = SafetensorsFile.open(ref.file(store))) {
                assertEquals(ref.sha256(), TensorDigests.sha256(file.bytes(ref.tensor())));
                values = file.readDoubles(ref.tensor());
            }
            for (int i = 0; i < values.length; i += 384) {
                rows.add(Arrays.copyOfRange(values, i, i + 384));
            }
        }
        TaskFolder task = TaskFolder.read(FIXTURES.resolve("minilm/task"));
        KnnAccuracy.Score score = TaskEvaluator.classify(task, rows.subList(0, 400).toArray(double[][]::new),
                rows.subList(400, 800).toArray(double[][]::new), TaskSplit.TEST);
        JsonNode searchReference = JsonMapper.builder().build()
                .readTree(FIXTURES.resolve("minilm/search-reference.json").toFile()).get("float32");
        assertEquals(searchReference.get("base_test_correct").asInt(), score.correct());
        assertEquals(400, score.examples());
    }

    @Test
    void aTaskShardOffTheEmbeddingBatchesFails() {
        EvaluationResult result = evaluate(taskShard("full-0-x", new WindowShard(8, 40)));
        assertFalse(result.succeeded());
        assertTrue(result.failure().reason().contains("multiple of 16"), result.failure().reason());
    }
}
