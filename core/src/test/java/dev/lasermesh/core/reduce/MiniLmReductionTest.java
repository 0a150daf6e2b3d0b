package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.tensor.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reducing the all-MiniLM-L6-v2 fixture gives a sentence-transformers folder that loads as the input
 * did: the same files (modules.json, 1_Pooling/, sentence_bert_config.json, tokenizer, config) byte
 * for byte, the same catalogue, every other tensor byte for byte, and the reduced matrices of the
 * rank reference.json gives (layer 5 query: 72, layer 2 attention.output.dense: 64).
 */
class MiniLmReductionTest {

    @TempDir
    Path dir;

    @Test
    void theOutputIsASentenceTransformersFolderWithTheReducedMatrices() throws IOException {
        Path input = Fixtures.path("minilm");
        Path out = dir.resolve("reduced");
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        try (ModelSource source = ModelSource.open(input)) {
            MatrixAnalyzer analyzer = new MatrixAnalyzer(linearAlgebra, new LaserRmtPolicy());
            List<MatrixAnalysis> analyses = List.of(analyzer.analyze(source, source.catalogue().get(5, "q")),
                    analyzer.analyze(source, source.catalogue().get(2, "o")));
            new ReducedModelWriter(linearAlgebra).write(source, analyses, StorageForm.DENSE, out,
                    AnalysisReport.policyView(RankPolicySpec.named("laserrmt")), (done, total, name) -> { });
        }
        for (String file : List.of("config.json", "tokenizer.json", "modules.json", "sentence_bert_config.json",
                "1_Pooling/config.json")) {
            assertArrayEquals(Files.readAllBytes(input.resolve(file)), Files.readAllBytes(out.resolve(file)), file);
        }
        assertFalse(Files.exists(out.resolve("2_Normalize")), "modules.json's Normalize has no folder in the input");
        assertFalse(Files.exists(out.resolve("task")), "a folder that is no module is not copied");
        try (ModelSource in = ModelSource.open(input); ModelSource reduced = ModelSource.open(out)) {
            assertEquals("bert", reduced.catalogue().family().orElseThrow().name());
            assertEquals(in.catalogue().matrices(), reduced.catalogue().matrices());
            List<String> replaced = List.of("encoder.layer.5.attention.self.query.weight",
                    "encoder.layer.2.attention.output.dense.weight");
            for (TensorInfo t : in.tensors().tensors()) {
                boolean same = in.tensors().bytes(t.name()).mismatch(reduced.tensors().bytes(t.name())) == -1;
                assertEquals(!replaced.contains(t.name()), same, t.name());
            }
            assertEquals(72, numericalRank(linearAlgebra, reduced, reduced.catalogue().get(5, "q")));
            assertEquals(64, numericalRank(linearAlgebra, reduced, reduced.catalogue().get(2, "o")));
        }
    }

    /** Singular values above 1e-4 of the largest: a float32-rounded rank-k matrix has k of them. */
    private static int numericalRank(LinearAlgebra linearAlgebra, ModelSource model, MatrixRef matrix) {
        double[] s = linearAlgebra.singularValues(model.readMatrix(matrix));
        int rank = 0;
        while (rank < s.length && s[rank] > 1e-4 * s[0]) {
            rank++;
        }
        assertTrue(rank < s.length, matrix.name() + " was not reduced");
        return rank;
    }
}
