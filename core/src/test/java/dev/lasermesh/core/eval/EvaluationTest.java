package dev.lasermesh.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.eval.perplexity.PerplexityResult;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.tokenize.TokenizerException;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI entry end to end (tokenizer + protocol + forward pass) against tiny-llama/reference.json, and
 * its errors on bad input: each a one-line message naming the file.
 */
class EvaluationTest {

    private static final JsonNode REF = Fixtures.json("tiny-llama/reference.json");
    private static final Path SOTU = Fixtures.path("text/sotu-2009-2021.txt");
    private static final ProtocolSpec LASER_8192 = ProtocolSpec.laserRmt(128).withMaxTokens(8192);

    private static EvalOptions options(Path model, Path text, Optional<Path> overlay) {
        return new EvalOptions(model, List.of(text), LASER_8192, overlay, 2, Long.MAX_VALUE);
    }

    @Test
    void tokenizesAndScoresTheTextLikeTheReference() throws IOException {
        AtomicInteger last = new AtomicInteger();
        PerplexityResult r = Evaluation.run(options(Fixtures.path("tiny-llama"), SOTU, Optional.empty()),
                (done, total) -> last.set(done * 1000 + total));
        double expected = REF.at("/perplexity/float32/laserrmt/ppl").asDouble();
        assertEquals(expected, r.perplexity(), 1e-4 * expected);
        assertEquals(64064, last.get());
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(r.perplexity(), json.get("perplexity").asDouble());
        assertEquals(8128, json.get("tokens").asLong());
        assertEquals(64, json.get("windows").asInt());
        assertEquals("laserrmt", json.at("/protocol/name").asText());
        assertEquals(8192, json.at("/protocol/max_tokens").asInt());
        assertTrue(r.toTable().startsWith("perplexity"));
    }

    @Test
    void anOverlayFileReplacesTheNamedTensor(@TempDir Path dir) {
        String name = "model.layers.5.mlp.down_proj.weight";
        JsonNode entry = REF.at("/laser/matrices/" + name.replace("/", "~1"));
        float[] reduced;
        try (var source = dev.lasermesh.core.tensor.TensorSources.open(Fixtures.path("tiny-llama"))) {
            reduced = RankKReconstruction.of(source.readFloats(name), 256, 704,
                    entry.get("k").asInt());
        }
        Path overlay = dir.resolve("reduced.safetensors");
        new SafetensorsWriter(overlay).put(name, DType.F32, new long[] {256, 704}, reduced).write();
        PerplexityResult r = Evaluation.run(options(Fixtures.path("tiny-llama"), SOTU, Optional.of(overlay)), EvalProgress.NONE);
        double expected = entry.at("/perplexity_after/float32/laserrmt/ppl").asDouble();
        assertEquals(expected, r.perplexity(), 1e-4 * expected);
    }

    /** A copy of tiny-llama whose config.json is edited and whose other files are linked. */
    private static Path modelWithConfig(Path dir, java.util.function.Consumer<ObjectNode> edit, boolean withTokenizer)
            throws IOException {
        Path src = Fixtures.path("tiny-llama");
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(src.resolve("config.json").toFile());
        edit.accept(config);
        Files.writeString(dir.resolve("config.json"), config.toString());
        Files.createSymbolicLink(dir.resolve("model.safetensors"), src.resolve("model.safetensors"));
        if (withTokenizer) {
            Files.createSymbolicLink(dir.resolve("tokenizer.json"), src.resolve("tokenizer.json"));
        }
        return dir;
    }

    @Test
    void configInconsistentWithTensorShapesNamesTheFieldAndTensor(@TempDir Path dir) throws IOException {
        Path model = modelWithConfig(dir, c -> c.put("intermediate_size", 700), true);
        RuntimeException e = assertThrows(RuntimeException.class, () -> Evaluation.run(options(model, SOTU, Optional.empty()), EvalProgress.NONE));
        assertTrue(e instanceof ModelConfigException || e instanceof TensorFormatException, e.toString());
        assertTrue(e.getMessage().contains("mlp.gate_proj.weight") || e.getMessage().contains("mlp.up_proj.weight")
                || e.getMessage().contains("mlp.down_proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("700"), e.getMessage());
    }

    @Test
    void unsupportedArchitectureIsRefused(@TempDir Path dir) throws IOException {
        Path model = modelWithConfig(dir, c -> c.put("model_type", "gpt2").putArray("architectures").add("GPT2LMHeadModel"), true);
        ModelConfigException e = assertThrows(ModelConfigException.class,
                () -> Evaluation.run(options(model, SOTU, Optional.empty()), EvalProgress.NONE));
        assertTrue(e.getMessage().contains("gpt2"), e.getMessage());
    }

    @Test
    void missingTokenizerIsReported(@TempDir Path dir) throws IOException {
        Path model = modelWithConfig(dir, c -> { }, false);
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> Evaluation.run(options(model, SOTU, Optional.empty()), EvalProgress.NONE));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void emptyShortMissingAndNonUtf8TextsAreReportedWithTheirPath(@TempDir Path dir) throws IOException {
        Path model = Fixtures.path("tiny-llama");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        assertMessage(empty + ": text file is empty", options(model, empty, Optional.empty()));
        Path tiny = Files.writeString(dir.resolve("short.txt"), "The state of the Union is strong.");
        assertMessage("short.txt has ", options(model, tiny, Optional.empty()));
        assertMessage("too few for one laserrmt window of 128 tokens", options(model, tiny, Optional.empty()));
        assertMessage(dir.resolve("none.txt") + ": text file not found", options(model, dir.resolve("none.txt"), Optional.empty()));
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        assertMessage(latin1 + ": text file is not valid UTF-8", options(model, latin1, Optional.empty()));
    }

    private static void assertMessage(String fragment, EvalOptions o) {
        EvalInputException e = assertThrows(EvalInputException.class, () -> Evaluation.run(o, EvalProgress.NONE));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void overlayWithAWrongShapeOrUnknownNameIsRefused(@TempDir Path dir) {
        Path wrong = dir.resolve("wrong.safetensors");
        new SafetensorsWriter(wrong).put("model.layers.5.mlp.down_proj.weight", DType.F32, new long[] {16, 16}, new float[256]).write();
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> Evaluation.run(options(Fixtures.path("tiny-llama"), SOTU, Optional.of(wrong)), EvalProgress.NONE));
        assertTrue(e.getMessage().contains("model.layers.5.mlp.down_proj.weight") && e.getMessage().contains("256 values"),
                e.getMessage());
        Path unknown = dir.resolve("unknown.safetensors");
        new SafetensorsWriter(unknown).put("model.layers.9.mlp.down_proj.weight", DType.F32, new long[] {2, 2}, new float[4]).write();
        TensorFormatException u = assertThrows(TensorFormatException.class,
                () -> Evaluation.run(options(Fixtures.path("tiny-llama"), SOTU, Optional.of(unknown)), EvalProgress.NONE));
        assertTrue(u.getMessage().contains("model.layers.9.mlp.down_proj.weight is not a tensor of"), u.getMessage());
    }
}
