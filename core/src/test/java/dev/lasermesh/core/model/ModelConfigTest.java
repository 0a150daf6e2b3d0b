package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json of both fixtures (values from their READMEs) and the errors of malformed configs. */
class ModelConfigTest {

    @TempDir
    Path dir;

    @Test
    void tinyLlamaConfig() {
        ModelConfig c = ModelConfig.read(Fixtures.path("tiny-llama/config.json"));
        assertEquals("llama", c.modelType());
        assertEquals(List.of("LlamaForCausalLM"), c.architectures());
        assertEquals(1026, c.vocabSize());
        assertEquals(256, c.hiddenSize());
        assertEquals(704, c.intermediateSize());
        assertEquals(6, c.numHiddenLayers());
        assertEquals(8, c.numAttentionHeads());
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(32, c.headDim());
        assertEquals(2, c.queriesPerKeyValueHead());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(Optional.empty(), c.ropeScaling());
        assertEquals(1e-5, c.rmsNormEps());
        assertFalse(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertEquals(Optional.of(1024), c.bosTokenId());
        assertEquals(Optional.of(1025), c.eosTokenId());
        assertEquals(Optional.of("float32"), c.torchDtype());
        assertEquals("silu", c.hiddenAct());
        assertEquals(Optional.of("bfloat16"), ModelConfig.read(Fixtures.path("tiny-llama/model-bf16/config.json")).torchDtype());
    }

    @Test
    void stories260KConfig() {
        ModelConfig c = ModelConfig.read(Fixtures.path("stories260K/config.json"));
        assertEquals(512, c.vocabSize());
        assertEquals(64, c.hiddenSize());
        assertEquals(172, c.intermediateSize());
        assertEquals(5, c.numHiddenLayers());
        assertEquals(8, c.numAttentionHeads());
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(8, c.headDim());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(Optional.of(1), c.bosTokenId());
        assertEquals(Optional.of(2), c.eosTokenId());
    }

    private Path config(Consumer<ObjectNode> edit) throws IOException {
        return EditedConfigs.write("tiny-llama", dir, edit);
    }

    private void rejected(Path file, String... fragments) {
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected \"" + f + "\" in: " + e.getMessage());
        }
    }

    @Test
    void missingFieldIsNamed() throws IOException {
        rejected(config(c -> c.remove("hidden_size")), "\"hidden_size\"", "missing");
        rejected(config(c -> c.remove("model_type")), "\"model_type\"");
    }

    @Test
    void nonPositiveOrFractionalSizesAreRejected() throws IOException {
        rejected(config(c -> c.put("num_hidden_layers", 0)), "\"num_hidden_layers\"", "positive integer", "(0)");
        rejected(config(c -> c.put("intermediate_size", 70.5)), "\"intermediate_size\"");
        rejected(config(c -> c.put("vocab_size", "1026")), "\"vocab_size\"");
    }

    @Test
    void headsMustBeAMultipleOfKeyValueHeads() throws IOException {
        rejected(config(c -> c.put("num_key_value_heads", 3)), "num_attention_heads 8", "num_key_value_heads 3");
    }

    @Test
    void hiddenNotDivisibleByHeadsNeedsHeadDim() throws IOException {
        rejected(config(c -> {
            c.remove("head_dim");
            c.put("num_attention_heads", 6);
            c.put("num_key_value_heads", 3);
        }), "hidden_size 256", "num_attention_heads 6", "head_dim is missing");
    }

    @Test
    void headDimDefaultsToHiddenOverHeadsAndKvHeadsToHeads() throws IOException {
        ModelConfig c = ModelConfig.read(config(n -> {
            n.remove("head_dim");
            n.remove("num_key_value_heads");
        }));
        assertEquals(32, c.headDim());
        assertEquals(8, c.numKeyValueHeads());
    }

    @Test
    void oddHeadDimIsRejectedForRope() throws IOException {
        rejected(config(c -> c.put("head_dim", 31)), "head_dim 31", "even");
    }

    @Test
    void unsupportedRopeScalingIsNamed() throws IOException {
        rejected(config(c -> c.putObject("rope_scaling").put("type", "yarn").put("factor", 4.0)), "\"yarn\"",
                "llama3");
    }

    @Test
    void llama3RopeScalingIsRead() throws IOException {
        ModelConfig c = ModelConfig.read(config(n -> n.putObject("rope_scaling").put("rope_type", "llama3")
                .put("factor", 8.0).put("low_freq_factor", 1.0).put("high_freq_factor", 4.0)
                .put("original_max_position_embeddings", 8192)));
        assertEquals(new ModelConfig.RopeScaling("llama3", 8.0, 1.0, 4.0, 8192), c.ropeScaling().orElseThrow());
    }

    @Test
    void eosListGivesTheFirstAndQwen2HasAttentionBiasByDefault() throws IOException {
        ModelConfig c = ModelConfig.read(config(n -> {
            n.putArray("eos_token_id").add(7).add(9);
            n.put("model_type", "qwen2");
            n.remove("attention_bias");
        }));
        assertEquals(Optional.of(7), c.eosTokenId());
        assertTrue(c.attentionBias());
    }

    @Test
    void newerDtypeFieldIsReadWhenTorchDtypeIsAbsent() throws IOException {
        ModelConfig c = ModelConfig.read(config(n -> {
            n.remove("torch_dtype");
            n.put("dtype", "bfloat16");
        }));
        assertEquals(Optional.of("bfloat16"), c.torchDtype());
    }

    @Test
    void notJsonNotAnObjectAndMissingFile() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"model_type\": ");
        rejected(file, "not valid JSON");
        Files.writeString(file, "[]");
        rejected(file, "not a JSON object");
        rejected(dir.resolve("absent/config.json"), "not found");
    }

    /** A config.json that is some other file (a secret, a password table) must not have its words quoted back. */
    @Test
    void aFileThatIsNotJsonIsNamedWithoutQuotingIt() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "root:$6$s3cretSalt$hash:19000:0:99999:7:::\n");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.read(file));
        assertEquals(file + ": not valid JSON (syntax error at line 1, column 1)", e.getMessage());
    }
}
