package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hugging Face tensor names and shapes of the Llama-family modules, and parsing of users' module and layer lists. */
class ModuleTypeTest {

    @Test
    void tensorNamesAreThoseOfTransformers() {
        assertEquals("model.layers.3.self_attn.q_proj.weight", ModuleType.Q.tensorName(3));
        assertEquals("model.layers.0.self_attn.o_proj.weight", ModuleType.O.tensorName(0));
        assertEquals("model.layers.12.mlp.gate_proj.weight", ModuleType.GATE.tensorName(12));
        assertEquals("model.layers.1.mlp.down_proj.weight", ModuleType.DOWN.tensorName(1));
        assertEquals("model.embed_tokens.weight", ModuleType.EMBED.tensorName(-1));
        assertEquals("lm_head.weight", ModuleType.LM_HEAD.tensorName(-1));
        assertThrows(IllegalArgumentException.class, () -> ModuleType.K.tensorName(-1));
        assertThrows(IllegalArgumentException.class, () -> ModuleType.OTHER.tensorName(0));
    }

    @Test
    void shapesFollowTheConfigWithGroupedQueryAttention() {
        ModelConfig c = ModelConfig.read(Fixtures.path("stories260K/config.json"));
        assertArrayEquals(new long[] {64, 64}, ModuleType.Q.expectedShape(c));
        assertArrayEquals(new long[] {32, 64}, ModuleType.K.expectedShape(c));
        assertArrayEquals(new long[] {32, 64}, ModuleType.V.expectedShape(c));
        assertArrayEquals(new long[] {64, 64}, ModuleType.O.expectedShape(c));
        assertArrayEquals(new long[] {172, 64}, ModuleType.UP.expectedShape(c));
        assertArrayEquals(new long[] {64, 172}, ModuleType.DOWN.expectedShape(c));
        assertArrayEquals(new long[] {512, 64}, ModuleType.EMBED.expectedShape(c));
    }

    @Test
    void moduleListsParseShortAndHuggingFaceNames() {
        assertEquals(ModuleType.layerModules(), ModuleType.parseList("q,k,v,o,gate,up,down"));
        assertEquals(EnumSet.of(ModuleType.Q, ModuleType.DOWN, ModuleType.EMBED),
                ModuleType.parseList(" q_proj , DOWN,embed_tokens"));
        assertEquals(ModuleType.LM_HEAD, ModuleType.parse("lm_head"));
    }

    @Test
    void unknownModuleListsTheValidNames() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModuleType.parseList("q,attn"));
        assertTrue(e.getMessage().contains("\"attn\"")
                && e.getMessage().contains("q, k, v, o, gate, up, down, embed, lm_head"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> ModuleType.parseList("q,,k"));
        assertThrows(InvalidInputException.class, () -> ModuleType.parseList(" "));
        assertThrows(InvalidInputException.class, () -> ModuleType.parse("other"));
    }

    @Test
    void layerListsParseRangesAndSingles() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5), LayerSet.parse("0-5", 6).layers());
        assertEquals(List.of(0, 2, 4, 5), LayerSet.parse("0,2,4-5", 6).layers());
        assertEquals(List.of(1, 2, 3), LayerSet.parse(" 3, 1-2 ,2", 6).layers());
        assertEquals(LayerSet.all(30), LayerSet.parse("all", 30));
    }

    @Test
    void badLayerListsAreExplained() {
        InvalidInputException out = assertThrows(InvalidInputException.class, () -> LayerSet.parse("0-6", 6));
        assertTrue(out.getMessage().contains("layer 6 is out of range") && out.getMessage().contains("6 layers (0-5)"),
                out.getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> LayerSet.parse("4-2", 6)).getMessage()
                .contains("\"4-2\" is reversed"));
        assertTrue(assertThrows(InvalidInputException.class, () -> LayerSet.parse("1,x", 6)).getMessage()
                .contains("\"x\""));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("-1", 6));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("0-", 6));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("", 6));
        assertThrows(InvalidInputException.class, () -> LayerSet.parse("99999999999", 6));
    }
}
