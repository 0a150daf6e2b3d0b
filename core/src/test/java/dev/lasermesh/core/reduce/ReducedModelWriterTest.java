package dev.lasermesh.core.reduce;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.BackendChoice;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reduced model folder, checked against tiny-llama/reference.json (laserRMT decisions and
 * reconstruction errors computed with PyTorch/NumPy outside this project): k exact, errors within
 * 1e-6 relative; the output re-loads and differs from the input only in the reduced tensors.
 */
class ReducedModelWriterTest {

    private static final JsonNode LASER = Fixtures.json("tiny-llama/reference.json").get("laser").get("matrices");
    private static final List<String> REFERENCE_MATRICES = List.of("model.layers.5.mlp.down_proj.weight",
            "model.layers.2.self_attn.q_proj.weight");

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = BackendChoice.class, names = {"OPENBLAS", "JAVA"})
    void denseReductionMatchesTheReferenceAndChangesNothingElse(BackendChoice backend) throws IOException {
        Path in = Fixtures.path("tiny-llama");
        Path out = temp.resolve("reduced");
        LinearAlgebra linearAlgebra = LinearAlgebras.create(backend, 1);
        ReductionReport report;
        try (ModelSource source = ModelSource.open(in)) {
            report = reduce(source, linearAlgebra, StorageForm.DENSE, out);
        }
        for (String name : REFERENCE_MATRICES) {
            JsonNode ref = LASER.get(name);
            ReducedMatrix m = report.matrices().stream().filter(x -> x.analysis().name().equals(name)).findFirst()
                    .orElseThrow();
            assertEquals(ref.get("k").asInt(), m.reduction().rank(), name + " k");
            assertRelative(ref.get("frobenius_norm_diff_float64_reconstruction").asDouble(), m.reduction().error(),
                    1e-6, name + " float64 error");
            assertRelative(ref.get("frobenius_norm_diff_float32_reconstruction").asDouble(),
                    m.reduction().roundedError(), 1e-6, name + " float32 error");
            assertRelative(ref.get("frobenius_norm_diff_check_sqrt_sum_discarded_sq").asDouble(),
                    m.reduction().eckartYoungError(), 1e-9, name + " Eckart-Young error");
            assertEquals(List.of(name), m.writtenAs());
        }
        try (TensorSource original = ModelSource.open(in).tensors(); ModelSource reduced = ModelSource.open(out)) {
            assertEquals(names(original), names(reduced.tensors()), "same tensors in the same order");
            for (TensorInfo t : original.tensors()) {
                TensorInfo r = reduced.tensors().info(t.name());
                assertEquals(t.dtype(), r.dtype(), t.name());
                assertArrayEquals(t.shape(), r.shape(), t.name());
                boolean identical = original.bytes(t.name()).mismatch(reduced.tensors().bytes(t.name())) == -1;
                assertEquals(!REFERENCE_MATRICES.contains(t.name()), identical,
                        t.name() + (identical ? " unchanged" : " changed"));
            }
            assertEquals(reduced.tensors().metadata(), original.metadata());
        }
        for (String companion : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            assertEquals(-1, Files.mismatch(in.resolve(companion), out.resolve(companion)), companion);
        }
        JsonNode written = new ObjectMapper().readTree(out.resolve(ReducedModelWriter.REPORT_FILE).toFile());
        assertEquals(2, written.get("matrices").size());
        assertEquals(2, written.get("totals").get("matrices").asInt());
    }

    @Test
    void factoredFormHoldsTwoFactorsWhoseProductIsTheTruncation() throws IOException {
        Path out = temp.resolve("factored");
        String name = REFERENCE_MATRICES.get(0);
        int k = LASER.get(name).get("k").asInt();
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        try (ModelSource source = ModelSource.open(Fixtures.path("tiny-llama"))) {
            ReductionReport report = reduce(source, linearAlgebra, StorageForm.FACTORED, out);
            MatrixRef ref = source.catalogue().byName(name);
            DenseMatrix truncated = new MatrixTruncator(linearAlgebra)
                    .dense(source, ref, report.matrices().get(0).analysis().singularValues(), k).reconstruction();
            try (TensorSource t = TensorSources.open(out)) {
                String base = "model.layers.5.mlp.down_proj";
                assertTrue(!t.contains(name), "the dense tensor is gone");
                assertArrayEquals(new long[] {k, 704}, t.info(base + ".0.weight").shape());
                assertArrayEquals(new long[] {256, k}, t.info(base + ".1.weight").shape());
                float[] b = t.readFloats(base + ".0.weight");
                float[] a = t.readFloats(base + ".1.weight");
                double maxDiff = 0;
                for (int i = 0; i < 256; i++) {
                    for (int j = 0; j < 704; j++) {
                        double sum = 0;
                        for (int r = 0; r < k; r++) {
                            sum += (double) a[i * k + r] * b[r * 704 + j];
                        }
                        maxDiff = Math.max(maxDiff, Math.abs(sum - truncated.get(i, j)));
                    }
                }
                assertTrue(maxDiff < 1e-5, "A*B equals W_k up to float32 rounding of the factors: " + maxDiff);
            }
        }
        JsonNode ranks = new ObjectMapper().readTree(out.resolve(ReducedModelWriter.RANK_MAP_FILE).toFile());
        assertEquals(k, ranks.get(name).get("rank").asInt());
    }

    @Test
    void refusesToOverwriteTheInputOrAnUnrelatedFolder() throws IOException {
        Path copy = temp.resolve("model");
        Files.createDirectories(copy);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Fixtures.path("tiny-llama").resolve(f), copy.resolve(f));
        }
        Path unrelated = Files.createDirectories(temp.resolve("unrelated"));
        Files.writeString(unrelated.resolve("notes.txt"), "mine");
        try (ModelSource source = ModelSource.open(copy)) {
            InvalidInputException self = assertThrows(InvalidInputException.class,
                    () -> reduce(source, LinearAlgebras.create(), StorageForm.DENSE, copy));
            assertTrue(self.getMessage().contains("the output folder is an input"), self.getMessage());
            InvalidInputException other = assertThrows(InvalidInputException.class,
                    () -> reduce(source, LinearAlgebras.create(), StorageForm.DENSE, unrelated));
            assertTrue(other.getMessage().contains("not empty"), other.getMessage());
        }
        assertEquals("mine", Files.readString(unrelated.resolve("notes.txt")));
    }

    private static ReductionReport reduce(ModelSource source, LinearAlgebra linearAlgebra, StorageForm form,
                                          Path out) {
        MatrixAnalyzer analyzer = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy());
        List<MatrixAnalysis> analyses = source.catalogue().selectByName(REFERENCE_MATRICES).stream()
                .map(m -> analyzer.analyze(source, m)).toList();
        return new ReducedModelWriter(linearAlgebra).write(source, analyses, form, out,
                Map.of("name", "laserrmt"), (done, total, name) -> { });
    }

    private static List<String> names(TensorSource source) {
        return source.tensors().stream().map(TensorInfo::name).toList();
    }

    @Test
    void keepsMatricesWhosePolicyKeepsTheFullRank() {
        try (ModelSource source = ModelSource.open(Fixtures.path("spectra/noise-256x1024.safetensors"))) {
            LinearAlgebra linearAlgebra = LinearAlgebras.create();
            MatrixAnalysis analysis = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy())
                    .analyze(source, source.catalogue().byName("weight"));
            ReductionReport report = new ReducedModelWriter(linearAlgebra).write(source, List.of(analysis),
                    StorageForm.DENSE, temp.resolve("noise"), Map.of("name", "laserrmt"), (d, t, n) -> { });
            ReducedMatrix m = report.matrices().get(0);
            assertEquals(256, m.analysis().rank(), "laserrmt keeps all of a rectangular noise matrix (DESIGN 3.1)");
            assertEquals(null, m.reduction());
            assertNotEquals(null, m.keptBecause());
            assertEquals(Set.of(), Set.copyOf(report.matrices().stream().filter(x -> x.writtenAs() != null).toList()));
        }
    }
}
