package dev.lasermesh.core.eval.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding checks every tensor against config.json; overlays are checked against the tensor they replace. */
class DecoderWeightsTest {

    private static RuntimeException bindWith(Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(Fixtures.path("tiny-llama/config.json").toFile());
        edit.accept(c);
        Path file = Files.writeString(dir.resolve("config.json"), c.toString());
        try (TensorSource source = TensorSources.open(Fixtures.path("tiny-llama"))) {
            return assertThrows(RuntimeException.class, () -> DecoderWeights.bind(ModelConfig.read(file), source));
        }
    }

    @Test
    void shapeMismatchNamesConfigFieldAndTensor(@TempDir Path dir) throws IOException {
        RuntimeException e = bindWith(dir, c -> c.put("intermediate_size", 700));
        assertTrue(e instanceof ModelConfigException, e.toString());
        assertTrue(e.getMessage().contains("model.layers.0.mlp.gate_proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("has shape [704, 256] but the config implies [700, 256] (intermediate_size=700, hidden_size=256)"),
                e.getMessage());
    }

    @Test
    void kvHeadMismatchIsReported(@TempDir Path dir) throws IOException {
        RuntimeException e = bindWith(dir, c -> c.put("num_key_value_heads", 8));
        assertTrue(e.getMessage().contains("model.layers.0.self_attn.k_proj.weight")
                && e.getMessage().contains("num_key_value_heads=8"), e.getMessage());
    }

    @Test
    void missingBiasesAndExtraLayersAreReported(@TempDir Path dir) throws IOException {
        RuntimeException bias = bindWith(dir, c -> c.put("attention_bias", true));
        assertTrue(bias instanceof TensorFormatException, bias.toString());
        assertTrue(bias.getMessage().contains("model.layers.0.self_attn.q_proj.bias is missing"), bias.getMessage());
        RuntimeException extra = bindWith(dir, c -> c.put("num_hidden_layers", 5));
        assertTrue(extra.getMessage().contains("model.layers.5.") && extra.getMessage().contains("num_hidden_layers=5"),
                extra.getMessage());
        RuntimeException missing = bindWith(dir, c -> c.put("num_hidden_layers", 7));
        assertTrue(missing.getMessage().contains("model.layers.6.") && missing.getMessage().contains("missing"),
                missing.getMessage());
    }

    @Test
    void unsupportedModelTypeIsRefused(@TempDir Path dir) throws IOException {
        RuntimeException e = bindWith(dir, c -> c.put("model_type", "gpt_neox"));
        assertTrue(e instanceof ModelConfigException, e.toString());
        assertTrue(e.getMessage().contains("model_type \"gpt_neox\"") && e.getMessage().contains("not supported"), e.getMessage());
    }

    @Test
    void anActivationOtherThanSiluIsRefusedNamingConfigAndValue(@TempDir Path dir) throws IOException {
        RuntimeException gelu = bindWith(dir, c -> c.put("hidden_act", "gelu"));
        assertTrue(gelu instanceof ModelConfigException, gelu.toString());
        assertTrue(gelu.getMessage().startsWith(dir.resolve("config.json") + ": hidden_act \"gelu\" is not supported"),
                gelu.getMessage());
        RuntimeException notAString = bindWith(dir, c -> c.putNull("hidden_act"));
        assertTrue(notAString.getMessage().contains("hidden_act \"null\""), notAString.getMessage());
        RuntimeException tooLong = bindWith(dir, c -> c.put("hidden_act", "x".repeat(10_000)));
        assertTrue(tooLong.getMessage().length() < 400, "a long value is cut: " + tooLong.getMessage().length());
    }

    @Test
    void siluUnderEitherOfItsTransformersNamesOrByDefaultIsAccepted(@TempDir Path dir) throws IOException {
        for (Consumer<ObjectNode> edit : List.<Consumer<ObjectNode>>of(c -> c.put("hidden_act", "swish"),
                c -> c.remove("hidden_act"))) {
            ObjectNode c = (ObjectNode) new ObjectMapper().readTree(Fixtures.path("tiny-llama/config.json").toFile());
            edit.accept(c);
            Path file = Files.writeString(dir.resolve("config.json"), c.toString());
            try (TensorSource source = TensorSources.open(Fixtures.path("tiny-llama"))) {
                assertEquals(6, DecoderWeights.bind(ModelConfig.read(file), source).config().numHiddenLayers());
            }
        }
    }

    @Test
    void overlaysAreCheckedAndComparedByIdentity() {
        try (LoadedModel m = LoadedModel.fixture("stories260K")) {
            ModelState base = m.base();
            String down = "model.layers.3.mlp.down_proj.weight";
            assertThrows(TensorFormatException.class, () -> base.with(down, new float[5]));
            float[] bad = new float[64 * 172];
            bad[100] = Float.NaN;
            TensorFormatException nan = assertThrows(TensorFormatException.class, () -> base.with(down, bad));
            assertTrue(nan.getMessage().contains("element 100"), nan.getMessage());
            TensorFormatException tied = assertThrows(TensorFormatException.class, () -> base.with("lm_head.weight", new float[1]));
            assertTrue(tied.getMessage().contains("tied"), tied.getMessage());

            float[] values = m.source().readFloats(down);
            ModelState a = base.with(down, values);
            assertEquals(3, a.firstChangedStage(base));
            assertEquals(6, a.firstChangedStage(a.with(down, values)));
            assertEquals(3, a.firstChangedStage(a.with(down, values.clone())));
            assertEquals(0, base.with("model.embed_tokens.weight", m.source().readFloats("model.embed_tokens.weight"))
                    .firstChangedStage(base));
            assertSame(base, m.weights().baseState());
            assertEquals(base.overlays(), a.without(down).overlays());
        }
    }
}
