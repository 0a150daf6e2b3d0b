package dev.lasermesh.reducer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TaskOutcome;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reducer's work without Kafka, on tiny-llama's {@code model.layers.5.mlp.down_proj.weight}
 * (256 × 704, float32) at laserRMT's rank 89 from tiny-llama/reference.json: the file it writes, the
 * checksums, byte equality with core's reduced-model writer, errors against the reference's NumPy
 * values, and idempotence.
 */
class ReductionHandlerTest {

    private static final Path TINY_LLAMA = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .resolve("tiny-llama").toAbsolutePath().normalize();
    private static final MatrixId DOWN = new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down");
    private static final JsonNode REFERENCE = reference().at("/laser/matrices/" + DOWN.tensor().replace("/", "~1"));
    private static final int K = REFERENCE.get("k").asInt();

    private final LinearAlgebra linearAlgebra = LinearAlgebras.create(1);

    @TempDir
    Path store;

    private static JsonNode reference() {
        try {
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                    .readTree(TINY_LLAMA.resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ReductionTask task(MatrixId matrix, int rank, OutputForm form) {
        return task(TINY_LLAMA, matrix, rank, form);
    }

    private static ReductionTask task(Path model, MatrixId matrix, int rank, OutputForm form) {
        return new ReductionTask(ContractVersion.CURRENT, "j-1", TaskIds.reduction("j-1", matrix.tensor(), form, rank),
                model.toString(), matrix, rank, form,
                "jobs/j-1/reduced/" + matrix.tensor() + "." + form.label() + "-k" + rank + ".safetensors");
    }

    /** Each run on a fresh runner, so a repeated task reaches the handler (as on another reducer). */
    private ReductionResult reduce(ReductionTask task) {
        return reduce(task, new PathRoots("model", List.of(TINY_LLAMA.getParent())));
    }

    private ReductionResult reduce(ReductionTask task, PathRoots modelRoots) {
        TaskOutcome outcome = new TaskRunner<>(new ReductionHandler(linearAlgebra, store, modelRoots))
                .run(Json.write(task));
        assertEquals(task.taskId(), outcome.key());
        return Json.read(outcome.json(), ReductionResult.class);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] tensorBytes(Path file, String tensor) {
        try (var source = TensorSources.open(file)) {
            return source.bytes(tensor).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void denseTensorIsWhatTheReducedModelWriterWritesWithItsChecksum() throws Exception {
        ReductionResult result = reduce(task(DOWN, K, OutputForm.DENSE));
        assertTrue(result.succeeded(), () -> result.failure().reason());
        ReductionOutput output = result.output();
        TensorRef ref = output.overlay().tensors().getFirst();
        assertEquals(1, output.overlay().tensors().size());
        assertEquals(DOWN.tensor(), output.overlay().replaces());
        assertEquals(new TensorRef("jobs/j-1/reduced/" + DOWN.tensor() + ".dense-k" + K + ".safetensors", DOWN.tensor(),
                dev.lasermesh.core.tensor.DType.F32, List.of(256L, 704L), ref.sha256()), ref);
        byte[] written = tensorBytes(ref.file(store), DOWN.tensor());
        assertEquals(sha256(written), ref.sha256());

        Path model = reducedModel(StorageForm.DENSE);
        assertArrayEquals(tensorBytes(model.resolve("model.safetensors"), DOWN.tensor()), written);

        assertEquals(K, output.rank());
        double expectedError = REFERENCE.get("frobenius_norm_diff_float64_reconstruction").asDouble();
        assertEquals(expectedError, output.frobeniusError(), 1e-9 * expectedError);
        double norm = REFERENCE.get("frobenius_norm_original").asDouble();
        assertEquals(1 - expectedError * expectedError / (norm * norm), output.energyKept(), 1e-9);
        assertEquals(256 * 704 * 4, output.bytesBefore());
        assertEquals(output.bytesBefore(), output.bytesAfter());
        assertFalse(output.backend().isBlank());
    }

    /** tiny-llama with {@link #DOWN} replaced at laserRMT's rank by core's reduced-model writer. */
    private Path reducedModel(StorageForm form) {
        Path model = store.resolve("reduced-model-" + form);
        try (ModelSource source = ModelSource.open(TINY_LLAMA)) {
            var analysis = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy())
                    .analyze(source, source.catalogue().byName(DOWN.tensor()));
            assertEquals(K, analysis.summary().orElseThrow().decision().k());
            new ReducedModelWriter(linearAlgebra).write(source, List.of(analysis), form, model,
                    Map.of("name", "laserrmt"), (done, total, matrix) -> { });
        }
        return model;
    }

    /** The gateway can assemble a factored output model from reducer files: left is {@code .1.weight}, right {@code .0.weight}. */
    @Test
    void factorsAreTheBytesOfTheReducedModelWritersFactors() {
        List<TensorRef> refs = reduce(task(DOWN, K, OutputForm.FACTORED)).output().overlay().tensors();
        Path written = reducedModel(StorageForm.FACTORED).resolve("model.safetensors");
        String module = DOWN.tensor().substring(0, DOWN.tensor().length() - ".weight".length());
        assertArrayEquals(tensorBytes(written, module + ".1.weight"), tensorBytes(refs.get(0).file(store), refs.get(0).tensor()));
        assertArrayEquals(tensorBytes(written, module + ".0.weight"), tensorBytes(refs.get(1).file(store), refs.get(1).tensor()));
    }

    @Test
    void factorsMultiplyToTheRankKMatrix() throws Exception {
        int k = 48;
        ReductionOutput output = reduce(task(DOWN, k, OutputForm.FACTORED)).output();
        List<TensorRef> refs = output.overlay().tensors();
        assertEquals(List.of(DOWN.tensor() + ".left", DOWN.tensor() + ".right"), refs.stream().map(TensorRef::tensor).toList());
        assertEquals(List.of(256L, (long) k), refs.get(0).shape());
        assertEquals(List.of((long) k, 704L), refs.get(1).shape());
        assertEquals((256L * k + (long) k * 704) * 4, output.bytesAfter());
        float[] left = floats(refs.get(0));
        float[] right = floats(refs.get(1));
        float[] original;
        try (var source = TensorSources.open(TINY_LLAMA)) {
            original = source.readFloats(DOWN.tensor());
        }
        double squaredError = 0;
        for (int i = 0; i < 256; i++) {
            for (int j = 0; j < 704; j++) {
                double product = 0;
                for (int r = 0; r < k; r++) {
                    product += (double) left[i * k + r] * right[r * 704 + j];
                }
                squaredError += Math.pow(original[i * 704 + j] - product, 2);
            }
        }
        double eckartYoung = 0;
        JsonNode s = REFERENCE.get("singular_values");
        for (int i = k; i < s.size(); i++) {
            eckartYoung += s.get(i).asDouble() * s.get(i).asDouble();
        }
        assertEquals(Math.sqrt(eckartYoung), Math.sqrt(squaredError), 1e-5 * Math.sqrt(eckartYoung));
        assertEquals(Math.sqrt(eckartYoung), output.frobeniusError(), 1e-9 * Math.sqrt(eckartYoung));
        for (TensorRef ref : refs) {
            assertEquals(sha256(tensorBytes(ref.file(store), ref.tensor())), ref.sha256());
        }
    }

    private float[] floats(TensorRef ref) {
        try (var source = TensorSources.open(ref.file(store))) {
            return source.readFloats(ref.tensor());
        }
    }

    @Test
    void repeatedTaskReusesTheFileUntouched() throws IOException {
        ReductionTask task = task(DOWN, K, OutputForm.DENSE);
        ReductionOutput first = reduce(task).output();
        Path file = first.overlay().tensors().getFirst().file(store);
        Object identity = Files.readAttributes(file, "unix:ino").get("ino");
        var modified = Files.getLastModifiedTime(file);
        ReductionOutput again = reduce(task).output();
        assertEquals(first.overlay(), again.overlay());
        assertEquals(first.frobeniusError(), again.frobeniusError());
        assertEquals(first.energyKept(), again.energyKept());
        assertEquals(identity, Files.readAttributes(file, "unix:ino").get("ino"));
        assertEquals(modified, Files.getLastModifiedTime(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary files are left");
        }
    }

    @Test
    void corruptedFileIsWrittenAnew() throws IOException {
        ReductionTask task = task(DOWN, K, OutputForm.DENSE);
        TensorRef first = reduce(task).output().overlay().tensors().getFirst();
        Path file = first.file(store);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 123f), channel.size() - 4);
        }
        assertNotEquals(first.sha256(), shaOfFile(file));
        TensorRef again = reduce(task).output().overlay().tensors().getFirst();
        assertEquals(first, again);
        assertEquals(first.sha256(), shaOfFile(file));
    }

    private static String shaOfFile(Path file) {
        try {
            return sha256(tensorBytes(file, DOWN.tensor()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fileOfAnotherTaskAtTheOutputPathIsReplaced() {
        ReductionTask task = task(DOWN, K, OutputForm.DENSE);
        ReductionTask otherJob = new ReductionTask(task.version(), "j-2", "j-2/reduction/x", task.modelPath(),
                task.matrix(), 10, task.form(), task.outputPath());
        reduce(otherJob);
        ReductionOutput output = reduce(task).output();
        assertEquals(K, output.rank());
        try (SafetensorsFile file = SafetensorsFile.open(output.overlay().tensors().getFirst().file(store))) {
            assertEquals(task.taskId(), file.metadata().get(ReductionFiles.TASK));
        }
    }

    @Test
    void rankAboveTheSmallerDimensionIsClamped() {
        assertEquals(256, reduce(task(DOWN, 1000, OutputForm.DENSE)).output().rank());
    }

    @Test
    void badTasksFailWithTheirReasonAndWriteNothing() throws IOException {
        TaskFailure unknown = reduce(task(new MatrixId("model.layers.7.mlp.down_proj.weight", 7, "down"), 4,
                OutputForm.DENSE)).failure();
        assertTrue(unknown.reason().contains("model.layers.7.mlp.down_proj.weight"), unknown.reason());
        assertFalse(unknown.retryable());
        TaskFailure module = reduce(task(new MatrixId(DOWN.tensor(), 5, "up"), 4, OutputForm.DENSE)).failure();
        assertTrue(module.reason().contains("module down"), module.reason());
        try (var files = Files.walk(store)) {
            assertEquals(List.of(store), files.toList());
        }
    }

    /**
     * A model folder whose config has become a link out of the model roots since the job was submitted fails
     * the task, naming the file, and writes nothing.
     */
    @Test
    void aModelWhoseConfigLinksOutOfTheRootsFailsTheTask(@TempDir Path models, @TempDir Path outside)
            throws IOException {
        Path model = Files.createDirectory(models.resolve("linked"));
        Files.copy(TINY_LLAMA.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Files.createSymbolicLink(model.resolve("config.json"),
                Files.copy(TINY_LLAMA.resolve("config.json"), outside.resolve("config.json")));
        TaskFailure failure = reduce(task(model, DOWN, 4, OutputForm.DENSE), new PathRoots("model", List.of(models)))
                .failure();
        assertEquals("modelPath linked: config.json is outside the configured model roots", failure.reason());
        assertFalse(failure.retryable());
        try (var files = Files.walk(store)) {
            assertEquals(List.of(store), files.toList());
        }
    }
}
