package dev.lasermesh.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TaskOutcome;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.contracts.job.PathRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer's work without Kafka, on the tiny-llama fixture: laserRMT decisions against the
 * independent NumPy values of tiny-llama/reference.json ({@code laser.matrices}), and bad tasks
 * answered with failed results.
 */
class AnalysisHandlerTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
    private static final Path TINY_LLAMA = FIXTURES.resolve("tiny-llama").toAbsolutePath().normalize();
    private static final double RELATIVE = 1e-9;

    @TempDir
    Path dir;
    private TaskRunner<AnalysisTask, AnalysisResult> runner;

    @BeforeEach
    void runner() {
        runner = new TaskRunner<>(new AnalysisHandler(LinearAlgebras.create(1), java.util.Optional.of(dir),
                new PathRoots("model", List.of(FIXTURES, dir))));
    }

    private static AnalysisTask task(Path model, MatrixId matrix, String policy) {
        return new AnalysisTask(ContractVersion.CURRENT, "j-1", TaskIds.analysis("j-1", matrix.tensor()),
                model.toString(), matrix, RankPolicySpec.named(policy));
    }

    private AnalysisResult run(AnalysisTask task) {
        TaskOutcome outcome = runner.run(Json.write(task));
        assertEquals(task.taskId(), outcome.key());
        return Json.read(outcome.json(), AnalysisResult.class);
    }

    @Test
    void laserRmtDecisionsMatchTheReference() throws IOException {
        JsonNode matrices = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                .readTree(TINY_LLAMA.resolve("reference.json").toFile()).at("/laser/matrices");
        for (MatrixId matrix : new MatrixId[] {
                new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down"),
                new MatrixId("model.layers.2.self_attn.q_proj.weight", 2, "q")}) {
            JsonNode reference = matrices.get(matrix.tensor());
            AnalysisResult result = run(task(TINY_LLAMA, matrix, "laserrmt"));
            assertTrue(result.succeeded(), () -> result.failure().reason());
            SpectrumSummary spectrum = result.output().spectrum();
            assertEquals(reference.get("k").asInt(), spectrum.decision().k(), matrix.tensor());
            assertRelative(reference.get("threshold").asDouble(), spectrum.decision().threshold(), matrix + " threshold");
            assertRelative(reference.get("snr_sum_signal_over_sum_noise").asDouble(), spectrum.snr(), matrix + " snr");
            assertRelative(reference.at("/singular_values/0").asDouble(), spectrum.singularValues()[0], matrix + " s0");
            assertTrue(result.output().seconds() > 0);
            assertFalse(result.output().backend().isBlank());
        }
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.abs(expected), what);
    }

    @Test
    void taskForAMatrixTheModelDoesNotHaveFailsNamingIt() {
        TaskFailure failure = run(task(TINY_LLAMA, new MatrixId("model.layers.9.mlp.down_proj.weight", 9, "down"),
                "laserrmt")).failure();
        assertTrue(failure.reason().contains("model.layers.9.mlp.down_proj.weight"), failure.reason());
        assertFalse(failure.retryable());
    }

    @Test
    void taskWhoseLayerDisagreesWithTheModelFails() {
        TaskFailure failure = run(task(TINY_LLAMA, new MatrixId("model.layers.5.mlp.down_proj.weight", 4, "down"),
                "laserrmt")).failure();
        assertTrue(failure.reason().contains("layer 5"), failure.reason());
    }

    @Test
    void missingModelFolderFailsTheTask() {
        Path missing = dir.resolve("no-such-model");
        TaskFailure failure = run(task(missing, new MatrixId("model.layers.0.mlp.up_proj.weight", 0, "up"),
                "laserrmt")).failure();
        assertTrue(failure.reason().contains(missing.toString()), failure.reason());
        assertFalse(failure.retryable());
    }

    @Test
    void nonFiniteWeightsFailTheTaskWithThePosition() {
        Path file = dir.resolve("bad.safetensors");
        float[] values = new float[12];
        values[7] = Float.NaN;
        new SafetensorsWriter(file).put("w", DType.F32, new long[] {3, 4}, values).write();
        TaskFailure failure = run(task(file, new MatrixId("w", -1, "other"), "laserrmt")).failure();
        assertTrue(failure.reason().contains("[1, 3]"), failure.reason());
    }

    /**
     * A model folder accepted at submission whose weights have since become a link out of the model roots
     * fails the task, naming the file, and the analyzer goes on serving.
     */
    @Test
    void aModelWhoseWeightsLinkOutOfTheRootsFailsTheTask(@TempDir Path outside) throws IOException {
        Path model = Files.createDirectory(dir.resolve("linked"));
        Files.copy(TINY_LLAMA.resolve("config.json"), model.resolve("config.json"));
        Path weights = Files.copy(TINY_LLAMA.resolve("model.safetensors"), outside.resolve("model.safetensors"));
        Files.createSymbolicLink(model.resolve("model.safetensors"), weights);
        MatrixId down = new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down");
        TaskFailure failure = run(task(model, down, "laserrmt")).failure();
        assertEquals("modelPath linked: model.safetensors is outside the configured model roots", failure.reason());
        assertFalse(failure.retryable());
        assertTrue(run(task(TINY_LLAMA, down, "laserrmt")).succeeded());
        Path escape = Files.createSymbolicLink(dir.resolve("escape"), outside);
        assertTrue(run(task(escape, down, "laserrmt")).failure().reason()
                .contains("modelPath escape is outside the configured model roots"));
    }
}
