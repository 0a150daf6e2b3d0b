package dev.lasermesh.reducer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.ContractVersion;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.study.FactoredLaserMatrix;
import dev.lasermesh.core.study.LaserChoice;
import dev.lasermesh.core.study.LaserForm;
import dev.lasermesh.core.study.LaserMatrix;
import dev.lasermesh.core.study.QuantizationStudy;
import dev.lasermesh.core.study.StudyVariant;
import dev.lasermesh.core.study.VariantWeights;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reducer's quantizing transforms against core's quantization study: for every quantized variant of
 * the study, the matrix the reducer stores for tiny-llama's {@code model.layers.5.mlp.down_proj.weight}
 * (256 × 704; LASER rank 89, so the U·√S factor's rows of 89 stay in the dtype) computes — as the
 * evaluators multiply it out — bit for bit the values {@link QuantizationStudy#weights} evaluates the
 * variant with, and its bytes are the study's.
 */
class QuantizedReductionTest {

    private static final Path TINY_LLAMA = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"))
            .resolve("tiny-llama").toAbsolutePath().normalize();
    private static final MatrixId DOWN = new MatrixId("model.layers.5.mlp.down_proj.weight", 5, "down");
    private static final int K = 89;

    private static final LinearAlgebra LINEAR_ALGEBRA = LinearAlgebras.create(1);
    private static ModelSource model;
    private static QuantizationStudy study;

    @TempDir
    Path store;

    @BeforeAll
    static void open() {
        model = ModelSource.open(TINY_LLAMA);
        study = new QuantizationStudy(model, new LaserChoice("test", List.of(new LaserMatrix(DOWN.tensor(), K))),
                LINEAR_ALGEBRA);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<StudyVariant> quantizedVariants() {
        return QuantizationStudy.variants().stream().filter(v -> v.scheme().isPresent());
    }

    @ParameterizedTest
    @MethodSource("quantizedVariants")
    void storedMatrixComputesTheStudysValuesAndBytes(StudyVariant variant) {
        boolean truncate = variant.laser() != LaserForm.NONE;
        OutputForm form = variant.laser() == LaserForm.FACTORED ? OutputForm.FACTORED : OutputForm.DENSE;
        int rank = truncate ? K : 0;
        ReductionTransform transform = new ReductionTransform(truncate, variant.format());
        ReductionTask task = new ReductionTask(ContractVersion.CURRENT, "j-1", TaskIds.reduction("j-1", DOWN.tensor(),
                form, rank, transform), TINY_LLAMA.toString(), DOWN, rank, form, "jobs/j-1/reduced/"
                + variant.name() + ".safetensors", transform);
        ReductionResult result = Json.read(new TaskRunner<>(new ReductionHandler(LINEAR_ALGEBRA, store,
                new PathRoots("model", List.of(TINY_LLAMA.getParent())))).run(Json.write(task)).json(),
                ReductionResult.class);
        assertTrue(result.succeeded(), () -> result.failure().reason());
        ReductionOutput output = result.output();

        VariantWeights expected = study.weights(variant);
        assertArrayEquals(expected.overlays().get(DOWN.tensor()), computed(output), variant.name());
        long expectedBytes = variant.laser() == LaserForm.FACTORED
                ? expected.bytes().factoredMatrices().stream().mapToLong(FactoredLaserMatrix::bytes).sum()
                : variant.scheme().orElseThrow().bytes(256, 704);
        assertEquals(expectedBytes, output.bytesAfter());
        assertEquals(256L * 704 * 4, output.bytesBefore());
        assertEquals(truncate ? K : 256, output.rank());
        assertTrue(output.frobeniusError() > 0, "a quantized matrix differs from the original");
        output.overlay().tensors().forEach(t -> assertEquals(DType.F32, t.dtype()));
    }

    /** The values an evaluator computes with (OverlayCache: dense as stored, factors multiplied out). */
    private float[] computed(ReductionOutput output) {
        List<TensorRef> tensors = output.overlay().tensors();
        if (tensors.size() == 1) {
            return read(tensors.getFirst());
        }
        TensorRef left = tensors.get(0);
        TensorRef right = tensors.get(1);
        int k = Math.toIntExact(left.shape().get(1));
        return new LowRankFactors(DenseMatrix.fromFloats(256, k, read(left)), DenseMatrix.fromFloats(k, 704,
                read(right))).productAsFloats();
    }

    private float[] read(TensorRef ref) {
        try (SafetensorsFile file = SafetensorsFile.open(ref.file(store))) {
            return file.readFloats(ref.tensor());
        }
    }
}
