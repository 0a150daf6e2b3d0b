package dev.lasermesh.gateway.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.gateway.CoreWorkers;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.orchestrator.TaskMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh's output must be the standalone's: the gateway assembles the model from tensors a reducer
 * stored, the standalone's writer truncates in process; for the same analyses both folders must hold
 * the same bytes and the same report (but for where the output lies).
 */
class OutputAssemblerTest {

    private static final Path MODEL = Fixtures.path("tiny-llama");
    private static final List<String> MATRICES = List.of("model.layers.5.mlp.down_proj.weight",
            "model.layers.5.self_attn.q_proj.weight", "model.layers.4.self_attn.k_proj.weight");
    private static final RankPolicySpec POLICY = RankPolicySpec.named(LaserRmtPolicy.NAME);
    private static final PathRoots FIXTURE_ROOTS = new PathRoots("model", List.of(MODEL.getParent()));

    @TempDir
    Path artifacts;
    @TempDir
    Path standalone;

    private static List<MatrixAnalysis> analyses(ModelSource model) {
        MatrixAnalyzer analyzer = new MatrixAnalyzer(LinearAlgebras.create(), POLICY.toPolicy());
        return MATRICES.stream().map(name -> analyzer.analyze(model, model.catalogue().byName(name))).toList();
    }

    private Map<String, ReductionOutput> reduce(List<MatrixAnalysis> analyses, OutputForm form) {
        Map<String, ReductionOutput> reductions = new LinkedHashMap<>();
        try (CoreWorkers workers = new CoreWorkers(artifacts)) {
            for (MatrixAnalysis a : analyses) {
                int k = a.summary().orElseThrow().decision().k();
                reductions.put(a.matrix().name(), workers.reduce(TaskMessages.reduction("j-1", MODEL.toString(),
                        MatrixId.of(a.matrix()), k, form)).output());
            }
        }
        return reductions;
    }

    private void assertSameOutput(OutputForm form, StorageForm standaloneForm, int blockValues) throws IOException {
        Path mesh = artifacts.resolve("jobs/j-1/model");
        try (ModelSource model = ModelSource.open(MODEL)) {
            List<MatrixAnalysis> analyses = analyses(model);
            new OutputAssembler(new ArtifactTensors(artifacts), FIXTURE_ROOTS, blockValues).write(
                    new OutputAssembler.Input(MODEL, mesh, POLICY, form, analyses, reduce(analyses, form), null, null, null));
            new ReducedModelWriter(LinearAlgebras.create()).write(model, analyses, standaloneForm, standalone,
                    AnalysisReport.policyView(POLICY), (done, total, name) -> { });
        }
        assertEquals(fileNames(standalone), fileNames(mesh), "the files of the output folder");
        for (String file : fileNames(standalone)) {
            if (!file.equals(ReducedModelWriter.REPORT_FILE)) {
                assertArrayEquals(Files.readAllBytes(standalone.resolve(file)), Files.readAllBytes(mesh.resolve(file)),
                        file + ", byte for byte");
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode expected = (ObjectNode) json.readTree(standalone.resolve(ReducedModelWriter.REPORT_FILE).toFile());
        ObjectNode actual = (ObjectNode) json.readTree(mesh.resolve(ReducedModelWriter.REPORT_FILE).toFile());
        assertEquals(mesh.toString(), actual.remove("output").asText());
        expected.remove("output");
        assertEquals(expected, actual, "lasermesh-report.json but for the output folder");
        assertEquals(3, actual.get("totals").get("matrices").asInt());
    }

    private static List<String> fileNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void denseOutputEqualsTheStandalonesWriter() throws IOException {
        assertSameOutput(OutputForm.DENSE, StorageForm.DENSE, OutputAssembler.BLOCK_VALUES);
    }

    /**
     * Streamed in blocks of 3 rows of q and k (768 values at 256 columns) and 1 row of down (704 columns),
     * ragged at the end: the bytes and the reported errors are still the standalone's, which holds whole
     * matrices.
     */
    @Test
    void denseOutputStreamedInSmallBlocksEqualsTheStandalonesWriter() throws IOException {
        assertSameOutput(OutputForm.DENSE, StorageForm.DENSE, 768);
    }

    @Test
    void factoredOutputStreamedInSmallBlocksEqualsTheStandalonesWriter() throws IOException {
        assertSameOutput(OutputForm.FACTORED, StorageForm.FACTORED, 768);
    }

    @Test
    void factoredOutputEqualsTheStandalonesWriterWithItsRankMap() throws IOException {
        assertSameOutput(OutputForm.FACTORED, StorageForm.FACTORED, OutputAssembler.BLOCK_VALUES);
        JsonNode ranks = new ObjectMapper().readTree(artifacts.resolve("jobs/j-1/model")
                .resolve(RankMap.FILE).toFile());
        assertArrayEquals(Files.readAllBytes(standalone.resolve(RankMap.FILE)),
                Files.readAllBytes(artifacts.resolve("jobs/j-1/model").resolve(RankMap.FILE)));
        assertTrue(ranks.has(MATRICES.getFirst()));
        JsonNode config = new ObjectMapper().readTree(artifacts.resolve("jobs/j-1/model/config.json").toFile());
        assertEquals("lasermesh_llama", config.get("model_type").asText(), "the mesh's factored folder loads as the standalone's");
        assertTrue(Files.isRegularFile(artifacts.resolve("jobs/j-1/model/modeling_lasermesh.py")));
    }

    @Test
    void aStoredTensorThatChangedSinceItsResultIsRefused() throws IOException {
        try (ModelSource model = ModelSource.open(MODEL)) {
            List<MatrixAnalysis> analyses = analyses(model);
            Map<String, ReductionOutput> reductions = reduce(analyses, OutputForm.DENSE);
            Path stored = reductions.get(MATRICES.getFirst()).overlay().tensors().getFirst().file(artifacts);
            byte[] bytes = Files.readAllBytes(stored);
            bytes[bytes.length - 1] ^= 1;
            Files.write(stored, bytes);
            OutputAssembler assembler = new OutputAssembler(new ArtifactTensors(artifacts), FIXTURE_ROOTS);
            AssemblyFailure e = assertThrows(AssemblyFailure.class, () -> assembler.write(
                    new OutputAssembler.Input(MODEL, artifacts.resolve("jobs/j-1/model"), POLICY, OutputForm.DENSE,
                            analyses, reductions, null, null, null)));
            assertInstanceOf(InvalidInputException.class, e.getCause());
            assertTrue(e.getMessage().startsWith("writing " + MATRICES.getFirst() + ": " + stored), e.getMessage());
            assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        }
    }

    @Test
    void aReplacedMatrixWithoutItsReductionIsRefused() {
        try (ModelSource model = ModelSource.open(MODEL)) {
            List<MatrixAnalysis> analyses = analyses(model);
            OutputAssembler assembler = new OutputAssembler(new ArtifactTensors(artifacts), FIXTURE_ROOTS);
            AssemblyFailure e = assertThrows(AssemblyFailure.class, () -> assembler.write(
                    new OutputAssembler.Input(MODEL, artifacts.resolve("jobs/j-1/model"), POLICY, OutputForm.DENSE,
                            analyses, Map.of(), null, null, null)));
            assertInstanceOf(InvalidInputException.class, e.getCause());
            assertTrue(e.getMessage().startsWith("collecting the reductions: matrix " + MATRICES.getFirst()),
                    e.getMessage());
        }
    }

    /**
     * An extra file of the model folder that links out of the model roots ({@code notes.txt -> secret}) is
     * not copied into the output, whose listing the API serves; the model's own files and extras inside the
     * roots are. A weights file that has become such a link since the job was submitted fails the assembly.
     */
    @Test
    void filesThatLinkOutOfTheModelRootsAreNotCopiedNorRead(@TempDir Path models, @TempDir Path outside)
            throws IOException {
        Path model = Files.createDirectory(models.resolve("tiny"));
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "README.md")) {
            Files.copy(MODEL.resolve(file), model.resolve(file));
        }
        Files.writeString(model.resolve("LICENSE"), "CC0");
        Path secret = Files.writeString(outside.resolve("secret"), "root:s3cret:19000:0:99999:7:::");
        Files.createSymbolicLink(model.resolve("notes.txt"), secret);
        PathRoots roots = new PathRoots("model", List.of(models));
        Path out = artifacts.resolve("jobs/j-1/model");
        try (ModelSource source = ModelSource.open(model)) {
            List<MatrixAnalysis> analyses = analyses(source);
            Map<String, ReductionOutput> reductions = reduce(analyses, OutputForm.DENSE);
            OutputAssembler assembler = new OutputAssembler(new ArtifactTensors(artifacts), roots);
            assembler.write(new OutputAssembler.Input(model, out, POLICY, OutputForm.DENSE, analyses, reductions,
                    null, null, null));
            try (var files = Files.list(out)) {
                assertEquals(List.of("LICENSE", "README.md", "config.json", ReducedModelWriter.REPORT_FILE,
                        "model.safetensors", "tokenizer.json"), files.map(p -> p.getFileName().toString()).sorted()
                        .toList());
            }
            Files.move(model.resolve("model.safetensors"), outside.resolve("model.safetensors"));
            Files.createSymbolicLink(model.resolve("model.safetensors"), outside.resolve("model.safetensors"));
            AssemblyFailure e = assertThrows(AssemblyFailure.class, () -> assembler.write(
                    new OutputAssembler.Input(model, artifacts.resolve("jobs/j-2/model"), POLICY, OutputForm.DENSE,
                            analyses, reductions, null, null, null)));
            assertInstanceOf(InvalidInputException.class, e.getCause());
            assertEquals("checking the input model: model tiny: model.safetensors is outside the configured model roots",
                    e.getMessage());
        }
    }
}
