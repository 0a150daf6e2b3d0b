package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The matrices of tiny-llama (separate lm_head) and stories260K (tied), selections, and config/tensor mismatches. */
class MatrixCatalogueTest {

    @TempDir
    Path dir;

    private static Architecture architecture(Path configFile) {
        ConfigFile config = ConfigFile.read(configFile);
        return ModelFamilies.of(config).orElseThrow().architecture(config);
    }

    private static MatrixCatalogue catalogue(String model) {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path(model + "/model.safetensors"))) {
            return MatrixCatalogue.of(architecture(Fixtures.path(model + "/config.json")), file);
        }
    }

    @Test
    void tinyLlamaListsEmbeddingsLayerMatricesAndLmHead() {
        MatrixCatalogue c = catalogue("tiny-llama");
        assertTrue(c.architectureKnown());
        assertEquals(6, c.numLayers());
        assertFalse(c.lmHeadTied());
        List<MatrixRef> all = c.matrices();
        assertEquals(1 + 6 * 7 + 1, all.size());
        assertEquals(new MatrixRef("model.embed_tokens.weight", -1, "embed", 1026, 256, DType.F32), all.getFirst());
        assertEquals(new MatrixRef("lm_head.weight", -1, "lm_head", 1026, 256, DType.F32), all.getLast());
        assertEquals(new MatrixRef("model.layers.5.mlp.down_proj.weight", 5, "down", 256, 704, DType.F32),
                c.get(5, "down"));
        assertEquals(new MatrixRef("model.layers.0.self_attn.k_proj.weight", 0, "k", 128, 256, DType.F32),
                c.get(0, "k"));
        assertEquals("5.down", c.get(5, "down").label());
    }

    @Test
    void defaultSelectionLeavesOutEmbeddingsAndLmHead() {
        List<MatrixRef> selected = catalogue("tiny-llama").defaultSelection();
        assertEquals(42, selected.size());
        assertTrue(selected.stream().allMatch(MatrixRef::perLayer));
        assertEquals("model.layers.0.self_attn.q_proj.weight", selected.getFirst().name());
        assertEquals("model.layers.5.mlp.down_proj.weight", selected.getLast().name());
    }

    @Test
    void selectionByLayersAndModules() {
        MatrixCatalogue c = catalogue("tiny-llama");
        assertEquals(List.of("0.q", "0.down", "1.q", "1.down", "5.q", "5.down"),
                c.select("0-1,5", "down,q").stream().map(MatrixRef::label).toList());
        assertEquals(List.of("embed", "2.up", "lm_head"),
                c.select(LayerSet.parse("2", 6), Set.of("up", "embed", "lm_head"))
                        .stream().map(MatrixRef::label).toList());
        assertEquals(42, c.select(null, " ").size());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.select("0-6", "q"));
        assertTrue(e.getMessage().contains("6 layers"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> c.select("0", "q,mlp"));
    }

    @Test
    void selectionByName() {
        MatrixCatalogue c = catalogue("tiny-llama");
        assertEquals(List.of(c.get(2, "q"), c.get(-1, "lm_head")),
                c.selectByName(List.of("model.layers.2.self_attn.q_proj.weight", "lm_head.weight")));
        InvalidInputException notMatrix = assertThrows(InvalidInputException.class, () -> c.byName("model.norm.weight"));
        assertTrue(notMatrix.getMessage().contains("\"model.norm.weight\" is not a weight matrix"), notMatrix.getMessage());
        assertTrue(notMatrix.getMessage().contains("tiny-llama/model.safetensors"), notMatrix.getMessage());
        assertThrows(InvalidInputException.class, () -> c.byName("layers.2.q_proj"));
    }

    @Test
    void stories260KHasTiedEmbeddingsAndGroupedKeyValueHeads() {
        MatrixCatalogue c = catalogue("stories260K");
        assertTrue(c.lmHeadTied());
        assertEquals(1 + 5 * 7, c.matrices().size());
        assertEquals("model.embed_tokens.weight", c.lmHeadTiedTo().orElseThrow().name());
        assertTrue(c.matrices().stream().noneMatch(m -> m.module().equals("lm_head")));
        assertEquals(32, c.get(3, "v").rows());
        assertEquals(172, c.get(4, "down").cols());
        InvalidInputException tied = assertThrows(InvalidInputException.class, () -> c.get(-1, "lm_head"));
        assertTrue(tied.getMessage().contains("tied") && tied.getMessage().contains("select embed"), tied.getMessage());
        assertThrows(InvalidInputException.class, () -> c.select("all", "lm_head"));
        assertTrue(assertThrows(InvalidInputException.class, () -> c.byName("lm_head.weight")).getMessage()
                .contains("tied"));
    }

    private Architecture config(String model, Consumer<ObjectNode> edit) throws IOException {
        return architecture(EditedConfigs.write(model, dir, edit));
    }

    @Test
    void shapeMismatchNamesTensorExpectedAndActualShape() throws IOException {
        TensorFormatException e = refusedByTinyLlama(TensorFormatException.class,
                config("tiny-llama", c -> c.put("intermediate_size", 700)));
        assertTrue(e.getMessage().contains("\"model.layers.0.mlp.gate_proj.weight\"")
                && e.getMessage().contains("[704, 256]") && e.getMessage().contains("[700, 256]"), e.getMessage());
    }

    /** What {@code MatrixCatalogue.of} throws for tiny-llama's weights under {@code architecture}. */
    private static <E extends RuntimeException> E refusedByTinyLlama(Class<E> type, Architecture architecture) {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
            return assertThrows(type, () -> MatrixCatalogue.of(architecture, file));
        }
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Architecture untied = config("stories260K", c -> c.put("tie_word_embeddings", false));
        Architecture deeper = config("stories260K", c -> c.put("num_hidden_layers", 6));
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("stories260K/model.safetensors"))) {
            TensorFormatException noHead = assertThrows(TensorFormatException.class,
                    () -> MatrixCatalogue.of(untied, file));
            assertTrue(noHead.getMessage().contains("\"lm_head.weight\" is missing")
                    && noHead.getMessage().contains("tie_word_embeddings false"), noHead.getMessage());
            TensorFormatException noLayer = assertThrows(TensorFormatException.class,
                    () -> MatrixCatalogue.of(deeper, file));
            assertTrue(noLayer.getMessage().contains("\"model.layers.5.self_attn.q_proj.weight\" is missing"),
                    noLayer.getMessage());
        }
    }

    @Test
    void tensorsOfLayersPastTheConfigAreRefusedNamingThem() throws IOException {
        Architecture shallower = config("tiny-llama", c -> c.put("num_hidden_layers", 4));
        TensorFormatException e = refusedByTinyLlama(TensorFormatException.class, shallower);
        assertTrue(e.getMessage().contains(": 18 tensors belong to layers past num_hidden_layers=4 of "
                + shallower.config().source() + " (model.layers.4."), e.getMessage());
        assertTrue(e.getMessage().endsWith(", ...); the config and the weights disagree"), e.getMessage());
    }

    @Test
    void mistralAndQwen2UseTheSameNames() throws IOException {
        for (String type : List.of("mistral", "qwen2")) {
            Architecture c = config("tiny-llama", n -> n.put("model_type", type));
            try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
                assertEquals(44, MatrixCatalogue.of(c, file).matrices().size());
            }
        }
    }

    @Test
    void fileWithoutConfigListsEveryTwoDimensionalTensor() {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("tiny-llama/model.safetensors"))) {
            MatrixCatalogue c = MatrixCatalogue.forTensors(file);
            assertFalse(c.architectureKnown());
            assertEquals(44, c.matrices().size(), "the 13 norm vectors are not matrices");
            assertTrue(c.matrices().stream().allMatch(m -> m.module().equals(MatrixRef.OTHER) && m.layer() == -1));
            assertEquals(c.matrices(), c.defaultSelection());
            MatrixRef down = c.byName("model.layers.5.mlp.down_proj.weight");
            assertEquals(704, down.cols());
            assertEquals("model.layers.5.mlp.down_proj.weight", down.label());
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.select("0", "q"));
            assertTrue(e.getMessage().contains("select them by tensor name"), e.getMessage());
            assertThrows(InvalidInputException.class, () -> c.get(0, "q"));
            assertTrue(c.note().isEmpty(), "no config.json, nothing to explain");
        }
    }
}
