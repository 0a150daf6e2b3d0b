package dev.lasermesh.core.eval;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.reduce.TinyLlamaOutputs;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code reduce --factored} folder scored by Lasermesh's own forward pass, as the model and as an
 * overlay: its perplexity equals that of the dense output of the same truncation within
 * {@value #SAME} relative (issue 12's bar), and the dense output's is tiny-llama/reference.json's
 * perplexity with layer 5's down_proj at its laserRMT rank (computed with PyTorch outside this project).
 */
class FactoredFolderEvaluationTest {

    private static final double SAME = 1e-6;
    private static final JsonNode REF = Fixtures.json("tiny-llama/reference.json");
    private static final Path TINY_LLAMA = Fixtures.path("tiny-llama");

    @TempDir
    static Path dir;

    private static double base;

    @BeforeAll
    static void reduce() {
        TinyLlamaOutputs.laserRmt(dir.resolve("dense"), StorageForm.DENSE, TinyLlamaOutputs.DOWN_5);
        TinyLlamaOutputs.laserRmt(dir.resolve("factored"), StorageForm.FACTORED, TinyLlamaOutputs.DOWN_5);
        base = perplexity(TINY_LLAMA, Optional.empty());
    }

    private static double perplexity(Path model, Optional<Path> overlay) {
        return Evaluation.run(new EvalOptions(model, List.of(Fixtures.path("text/sotu-2009-2021.txt")),
                ProtocolSpec.laserRmt(128).withMaxTokens(8192), overlay, 2, Long.MAX_VALUE), EvalProgress.NONE).perplexity();
    }

    @Test
    void factoredFolderScoresLikeTheDenseOutputAsModelAndAsOverlay() {
        double dense = perplexity(dir.resolve("dense"), Optional.empty());
        assertRelative(REF.at("/laser/matrices/" + TinyLlamaOutputs.DOWN_5 + "/perplexity_after/float32/laserrmt/ppl")
                .asDouble(), dense, SAME, "dense output against the reference");
        assertRelative(dense, perplexity(dir.resolve("factored"), Optional.empty()), SAME, "factored folder as MODEL");
        assertRelative(dense, perplexity(TINY_LLAMA, Optional.of(dir.resolve("factored"))), SAME,
                "factored folder as overlay");
        assertRelative(dense, perplexity(TINY_LLAMA, Optional.of(dir.resolve("factored/model.safetensors"))), SAME,
                "weights file of the factored folder as overlay");
        assertTrue(Math.abs(dense - base) > 100 * SAME * base, "the truncation changes the perplexity");
    }

    /** Every kind of matrix of the forward pass, embeddings and head included, read factored. */
    @Test
    void factoredEmbeddingHeadAndAttentionScoreLikeTheirDenseForm() {
        Map<String, RankPolicy> policies = new LinkedHashMap<>();
        policies.put("model.embed_tokens.weight", new FixedRankPolicy(96));
        policies.put(TinyLlamaOutputs.Q_2, new LaserRmtPolicy());
        policies.put("model.layers.0.mlp.up_proj.weight", new FixedRankPolicy(128));
        policies.put("lm_head.weight", new FixedRankPolicy(160));
        TinyLlamaOutputs.write(TINY_LLAMA, dir.resolve("dense-all"), StorageForm.DENSE, policies);
        TinyLlamaOutputs.write(TINY_LLAMA, dir.resolve("factored-all"), StorageForm.FACTORED, policies);
        double dense = perplexity(dir.resolve("dense-all"), Optional.empty());
        assertRelative(dense, perplexity(dir.resolve("factored-all"), Optional.empty()), SAME, "factored as MODEL");
        assertRelative(dense, perplexity(TINY_LLAMA, Optional.of(dir.resolve("factored-all"))), SAME,
                "factored as overlay");
    }

    @Test
    void factorsWithoutTheirRankMapAreRefusedNamingTheMatrix() throws IOException {
        Path copy = copy(dir.resolve("factored"), dir.resolve("no-rank-map"));
        Files.delete(copy.resolve(RankMap.FILE));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> perplexity(copy, Optional.empty()));
        assertTrue(e.getMessage().contains("model.layers.5.mlp.down_proj"), e.getMessage());
    }

    @Test
    void aRankMapThatDisagreesWithTheFactorsIsRefused() throws IOException {
        Path copy = copy(dir.resolve("factored"), dir.resolve("wrong-rank"));
        String ranks = Files.readString(copy.resolve(RankMap.FILE));
        Files.writeString(copy.resolve(RankMap.FILE), ranks.replace("\"rank\" : 89", "\"rank\" : 88"));
        InvalidInputException asModel = assertThrows(InvalidInputException.class, () -> perplexity(copy, Optional.empty()));
        assertTrue(asModel.getMessage().contains(RankMap.FILE) && asModel.getMessage().contains("88"), asModel.getMessage());
        InvalidInputException asOverlay = assertThrows(InvalidInputException.class,
                () -> perplexity(TINY_LLAMA, Optional.of(copy)));
        assertTrue(asOverlay.getMessage().contains(TinyLlamaOutputs.DOWN_5), asOverlay.getMessage());
    }

    @Test
    void aMalformedRankMapIsNamedWithoutQuotingIt() throws IOException {
        Path copy = copy(dir.resolve("factored"), dir.resolve("malformed"));
        Files.writeString(copy.resolve(RankMap.FILE), "{\"secret-token\": ");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> perplexity(copy, Optional.empty()));
        assertTrue(e.getMessage().contains(RankMap.FILE) && !e.getMessage().contains("secret"), e.getMessage());
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }
}
