package dev.lasermesh.core.model.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The llama family's tensor names (transformers' modeling_llama.py), its shape rules under the
 * stories260K config (values from that fixture's README), users' module names, and what it can run.
 */
class LlamaFamilyTest {

    private static final ModelFamily LLAMA = ModelFamilies.LLAMA;

    @Test
    void tensorNamesAreThoseOfTransformers() {
        assertEquals("model.layers.3.self_attn.q_proj.weight", LLAMA.tensor("q").name(3));
        assertEquals("model.layers.0.self_attn.o_proj.weight", LLAMA.tensor("o").name(0));
        assertEquals("model.layers.12.mlp.gate_proj.weight", LLAMA.tensor("gate").name(12));
        assertEquals("model.layers.1.mlp.down_proj.weight", LLAMA.tensor("down").name(1));
        assertEquals("model.embed_tokens.weight", LLAMA.tensor("embed").name(-1));
        assertEquals("lm_head.weight", LLAMA.tensor("lm_head").name(-1));
        assertEquals("model.layers.2.self_attn.k_proj.bias", LLAMA.tensor("k.bias").name(2));
        assertEquals("model.layers.4.post_attention_layernorm.weight", LLAMA.tensor("post_attention_layernorm").name(4));
        assertEquals("model.norm.weight", LLAMA.tensor("norm").name(-1));
        assertThrows(IllegalArgumentException.class, () -> LLAMA.tensor("k").name(-1));
        assertThrows(IllegalArgumentException.class, () -> LLAMA.tensor("w1"));
    }

    @Test
    void shapesFollowTheConfigWithGroupedQueryAttention() {
        Architecture a = LLAMA.architecture(ConfigFile.read(Fixtures.path("stories260K/config.json")));
        assertArrayEquals(new long[] {64, 64}, a.shape(LLAMA.tensor("q")));
        assertArrayEquals(new long[] {32, 64}, a.shape(LLAMA.tensor("k")));
        assertArrayEquals(new long[] {32, 64}, a.shape(LLAMA.tensor("v")));
        assertArrayEquals(new long[] {64, 64}, a.shape(LLAMA.tensor("o")));
        assertArrayEquals(new long[] {172, 64}, a.shape(LLAMA.tensor("up")));
        assertArrayEquals(new long[] {64, 172}, a.shape(LLAMA.tensor("down")));
        assertArrayEquals(new long[] {512, 64}, a.shape(LLAMA.tensor("embed")));
        assertArrayEquals(new long[] {32}, a.shape(LLAMA.tensor("v.bias")));
        assertEquals("num_key_value_heads=4 × head_dim=8, hidden_size=64", a.derivation(LLAMA.tensor("k")));
        assertEquals(5, a.layers());
        assertTrue(a.headTied(), "stories260K ties its embeddings");
    }

    @Test
    void moduleListsParseShortAndHuggingFaceNames() {
        assertEquals(List.of("q", "k", "v", "o", "gate", "up", "down"),
                List.copyOf(LLAMA.parseModules("down,q,k,v,o,gate,up")));
        assertEquals(List.of("embed", "q", "down"), List.copyOf(LLAMA.parseModules(" q_proj , DOWN,embed_tokens")));
        assertEquals(Set.of("lm_head"), LLAMA.parseModules("lm_head"));
    }

    @Test
    void unknownModuleListsTheValidNames() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LLAMA.parseModules("q,attn"));
        assertTrue(e.getMessage().contains("unknown module \"attn\"") && e.getMessage().contains("llama")
                && e.getMessage().contains("q, k, v, o, gate, up, down, embed, lm_head"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> LLAMA.parseModules("q,,k"));
        assertThrows(InvalidInputException.class, () -> LLAMA.parseModules(" "));
        assertThrows(InvalidInputException.class, () -> LLAMA.parseModule("other"));
        assertThrows(InvalidInputException.class, () -> LLAMA.parseModule("input_layernorm"));
    }

    @Test
    void theDecoderRunsItAndSearchesInLaserRmtsOrder() {
        EvaluationSupport e = LLAMA.evaluation().orElseThrow();
        assertEquals(EvaluationSupport.ForwardPass.DECODER, e.forwardPass());
        assertEquals("perplexity", e.defaultMetric().cliName());
        assertTrue(e.defaultMetric().lowerIsBetter());
        assertEquals(List.of("down", "up", "q", "k", "v", "o"), LLAMA.searchOrder());
        assertEquals(LLAMA.searchOrder(), LaserRmtGreedySpec.DEFAULT_TYPES);
        assertEquals(List.of(LLAMA, ModelFamilies.BERT), ModelFamilies.evaluable());
    }
}
