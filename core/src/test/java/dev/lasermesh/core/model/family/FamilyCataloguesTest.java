package dev.lasermesh.core.model.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.MatrixCatalogue;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.SyntheticCheckpoint;
import dev.lasermesh.core.tensor.TensorFormatException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of every family on tiny synthetic checkpoints whose tensor names and shapes are
 * written here by hand from transformers' modeling files (not from the families' rules): every matrix
 * is found with its shape, in catalogue order; shapes that disagree with config.json name the tensor.
 */
class FamilyCataloguesTest {

    @TempDir
    Path dir;

    /** Hand-written matrices in catalogue order, and the checkpoint that holds them plus its vectors. */
    private static final class Expected {
        final Map<String, long[]> matrices = new LinkedHashMap<>();
        final SyntheticCheckpoint checkpoint = new SyntheticCheckpoint();

        Expected matrix(String name, long rows, long cols) {
            matrices.put(name, new long[] {rows, cols});
            checkpoint.tensor(name, rows, cols);
            return this;
        }

        Expected vector(String name, long length) {
            checkpoint.tensor(name, length);
            return this;
        }
    }

    private static void assertMatrices(Expected expected, MatrixCatalogue catalogue) {
        assertEquals(List.copyOf(expected.matrices.keySet()), catalogue.matrices().stream().map(MatrixRef::name).toList());
        for (MatrixRef m : catalogue.matrices()) {
            assertArrayEquals(expected.matrices.get(m.name()), new long[] {m.rows(), m.cols()}, m.name());
        }
    }

    /** Mixtral: hidden 16, 4 heads, 2 KV heads (head_dim 4), intermediate 24, vocab 32, 2 layers, 3 experts. */
    private static Expected mixtral() {
        Expected e = new Expected();
        e.checkpoint.config("model_type", "mixtral").config("architectures", List.of("MixtralForCausalLM"))
                .config("hidden_size", 16).config("num_attention_heads", 4).config("num_key_value_heads", 2)
                .config("intermediate_size", 24).config("vocab_size", 32).config("num_hidden_layers", 2)
                .config("num_local_experts", 3).config("num_experts_per_tok", 2);
        e.matrix("model.embed_tokens.weight", 32, 16);
        for (int l = 0; l < 2; l++) {
            String p = "model.layers." + l + ".";
            e.vector(p + "input_layernorm.weight", 16);
            e.matrix(p + "self_attn.q_proj.weight", 16, 16).matrix(p + "self_attn.k_proj.weight", 8, 16)
                    .matrix(p + "self_attn.v_proj.weight", 8, 16).matrix(p + "self_attn.o_proj.weight", 16, 16)
                    .matrix(p + "block_sparse_moe.gate.weight", 3, 16);
            for (int x = 0; x < 3; x++) {
                String expert = p + "block_sparse_moe.experts." + x + ".";
                e.matrix(expert + "w1.weight", 24, 16).matrix(expert + "w2.weight", 16, 24)
                        .matrix(expert + "w3.weight", 24, 16);
            }
            e.vector(p + "post_attention_layernorm.weight", 16);
        }
        e.vector("model.norm.weight", 16);
        return e.matrix("lm_head.weight", 32, 16);
    }

    @Test
    void mixtralExpertsAreAddressedByLayerModuleAndExpert() {
        Expected e = mixtral();
        try (ModelSource m = ModelSource.open(e.checkpoint.write(dir))) {
            MatrixCatalogue c = m.catalogue();
            assertEquals("mixtral", c.family().orElseThrow().name());
            assertMatrices(e, c);
            MatrixRef w2 = c.get(1, "w2", 2);
            assertEquals("model.layers.1.block_sparse_moe.experts.2.w2.weight", w2.name());
            assertEquals(List.of(1, 2), List.of(w2.layer(), w2.expert()));
            assertEquals("1.e2.w2", w2.label());
            assertEquals("0.router", c.get(0, "router").label());
            assertEquals(2 * (4 + 3 * 3), c.defaultSelection().size(), "attention and experts; router on request");
            assertEquals(List.of("1.e0.w1", "1.e1.w1", "1.e2.w1"), c.select("1", "w1").stream().map(MatrixRef::label)
                    .toList());
            InvalidInputException noExpert = assertThrows(InvalidInputException.class, () -> c.get(0, "w1"));
            assertTrue(noExpert.getMessage().contains("needs an expert in 0-2"), noExpert.getMessage());
            assertThrows(InvalidInputException.class, () -> c.get(0, "w1", 3));
            assertThrows(InvalidInputException.class, () -> c.get(0, "q", 0));
            InvalidInputException gate = assertThrows(InvalidInputException.class, () -> c.select("0", "gate"));
            assertTrue(gate.getMessage().contains("mixtral") && gate.getMessage().contains("router, w1, w2, w3"),
                    gate.getMessage());
        }
    }

    @Test
    void phi3FusedProjectionsAreOneMatrixEach() {
        Expected e = new Expected();
        e.checkpoint.config("model_type", "phi3").config("hidden_size", 16).config("num_attention_heads", 4)
                .config("num_key_value_heads", 2).config("intermediate_size", 24).config("vocab_size", 32)
                .config("num_hidden_layers", 2);
        e.matrix("model.embed_tokens.weight", 32, 16);
        for (int l = 0; l < 2; l++) {
            String p = "model.layers." + l + ".";
            e.vector(p + "input_layernorm.weight", 16);
            // qkv: 4 heads × 4 + 2 × (2 KV heads × 4) = 32 rows; gate_up: 2 × 24 rows
            e.matrix(p + "self_attn.qkv_proj.weight", 32, 16).matrix(p + "self_attn.o_proj.weight", 16, 16)
                    .matrix(p + "mlp.gate_up_proj.weight", 48, 16).matrix(p + "mlp.down_proj.weight", 16, 24);
            e.vector(p + "post_attention_layernorm.weight", 16);
        }
        e.vector("model.norm.weight", 16);
        e.matrix("lm_head.weight", 32, 16);
        try (ModelSource m = ModelSource.open(e.checkpoint.write(dir))) {
            MatrixCatalogue c = m.catalogue();
            assertEquals("phi3", c.family().orElseThrow().name());
            assertMatrices(e, c);
            assertEquals(List.of("0.qkv", "0.o", "0.gate_up", "0.down", "1.qkv", "1.o", "1.gate_up", "1.down"),
                    c.defaultSelection().stream().map(MatrixRef::label).toList());
            assertEquals(List.of("1.gate_up"), c.select("1", "gate_up_proj").stream().map(MatrixRef::label).toList());
        }
    }

    /** Gemma 2: hidden 12, 2 heads × head_dim 8 (not 12/2), 1 KV head, intermediate 20, vocab 32, 2 layers. */
    private static Expected gemma2() {
        Expected e = new Expected();
        e.checkpoint.config("model_type", "gemma2").config("hidden_size", 12).config("num_attention_heads", 2)
                .config("num_key_value_heads", 1).config("head_dim", 8).config("intermediate_size", 20)
                .config("vocab_size", 32).config("num_hidden_layers", 2);
        e.matrix("model.embed_tokens.weight", 32, 12);
        for (int l = 0; l < 2; l++) {
            String p = "model.layers." + l + ".";
            for (String norm : List.of("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                    "post_feedforward_layernorm")) {
                e.vector(p + norm + ".weight", 12);
            }
            e.matrix(p + "self_attn.q_proj.weight", 16, 12).matrix(p + "self_attn.k_proj.weight", 8, 12)
                    .matrix(p + "self_attn.v_proj.weight", 8, 12).matrix(p + "self_attn.o_proj.weight", 12, 16)
                    .matrix(p + "mlp.gate_proj.weight", 20, 12).matrix(p + "mlp.up_proj.weight", 20, 12)
                    .matrix(p + "mlp.down_proj.weight", 12, 20);
        }
        e.vector("model.norm.weight", 12);
        return e;
    }

    @Test
    void gemma2HasItsOwnHeadDimAndATiedHeadByDefault() {
        Expected e = gemma2();
        try (ModelSource m = ModelSource.open(e.checkpoint.write(dir.resolve("tied")))) {
            MatrixCatalogue c = m.catalogue();
            assertEquals("gemma2", c.family().orElseThrow().name());
            assertMatrices(e, c);
            assertTrue(c.lmHeadTied(), "Gemma2Config ties the head unless config.json says otherwise");
            assertEquals("model.embed_tokens.weight", c.lmHeadTiedTo().orElseThrow().name());
            assertTrue(assertThrows(InvalidInputException.class, () -> c.get(-1, "lm_head")).getMessage()
                    .contains("select embed instead"));
        }
        Expected untied = gemma2();
        untied.checkpoint.config("tie_word_embeddings", false);
        untied.matrix("lm_head.weight", 32, 12);
        try (ModelSource m = ModelSource.open(untied.checkpoint.write(dir.resolve("untied")))) {
            assertMatrices(untied, m.catalogue());
        }
        Expected noHeadDim = gemma2();
        noHeadDim.checkpoint.withoutConfig("head_dim");
        Path folder = noHeadDim.checkpoint.write(dir.resolve("no-head-dim"));
        ModelConfigException error = assertThrows(ModelConfigException.class, () -> ModelSource.open(folder));
        assertTrue(error.getMessage().contains(folder.resolve("config.json").toString())
                && error.getMessage().contains("\"head_dim\""), error.getMessage());
    }

    /** BertModel: hidden 8, 2 heads, intermediate 12, vocab 20, 10 positions, 2 token types, 2 layers. */
    private static Expected bert(String modelType, String prefix, long typeVocab, boolean pooler) {
        Expected e = new Expected();
        e.checkpoint.config("model_type", modelType).config("hidden_size", 8).config("num_attention_heads", 2)
                .config("intermediate_size", 12).config("vocab_size", 20).config("max_position_embeddings", 10)
                .config("type_vocab_size", typeVocab).config("num_hidden_layers", 2);
        e.matrix(prefix + "embeddings.word_embeddings.weight", 20, 8)
                .matrix(prefix + "embeddings.position_embeddings.weight", 10, 8)
                .matrix(prefix + "embeddings.token_type_embeddings.weight", typeVocab, 8);
        e.vector(prefix + "embeddings.LayerNorm.weight", 8).vector(prefix + "embeddings.LayerNorm.bias", 8);
        for (int l = 0; l < 2; l++) {
            String p = prefix + "encoder.layer." + l + ".";
            e.matrix(p + "attention.self.query.weight", 8, 8).matrix(p + "attention.self.key.weight", 8, 8)
                    .matrix(p + "attention.self.value.weight", 8, 8).matrix(p + "attention.output.dense.weight", 8, 8)
                    .matrix(p + "intermediate.dense.weight", 12, 8).matrix(p + "output.dense.weight", 8, 12);
            e.vector(p + "attention.output.LayerNorm.weight", 8).vector(p + "output.LayerNorm.weight", 8);
        }
        if (pooler) {
            e.matrix(prefix + "pooler.dense.weight", 8, 8).vector(prefix + "pooler.dense.bias", 8);
        }
        return e;
    }

    @Test
    void bertNamesTheSixMatricesOfALayerAndTheFfnOutputIsDown() {
        Expected e = bert("bert", "", 2, false);
        try (ModelSource m = ModelSource.open(e.checkpoint.write(dir))) {
            MatrixCatalogue c = m.catalogue();
            assertEquals("bert", c.family().orElseThrow().name());
            assertEquals("", c.prefix());
            assertMatrices(e, c);
            assertEquals(List.of("1.q", "1.k", "1.v", "1.o", "1.up", "1.down"),
                    c.defaultSelection().subList(6, 12).stream().map(MatrixRef::label).toList());
            assertEquals("encoder.layer.1.output.dense.weight", c.get(1, "down").name());
            assertEquals("encoder.layer.1.attention.output.dense.weight", c.get(1, "o").name());
            assertEquals("encoder.layer.0.attention.self.query.weight", c.select("0", "query").getFirst().name());
            assertEquals(List.of("0.o", "0.down"), c.select("0", "output.dense,attention.output.dense").stream()
                    .map(MatrixRef::label).toList(), "Hugging Face paths name the module exactly");
            assertTrue(assertThrows(InvalidInputException.class, () -> c.get(-1, "pooler")).getMessage()
                    .contains("pooler is not in this model"));
        }
    }

    @Test
    void robertaAndBertTaskCheckpointsDifferOnlyInThePrefix() {
        Expected roberta = bert("roberta", "roberta.", 1, true);
        roberta.vector("lm_head.dense.bias", 8);
        try (ModelSource m = ModelSource.open(roberta.checkpoint.write(dir.resolve("roberta")))) {
            assertEquals("roberta.", m.catalogue().prefix());
            assertMatrices(roberta, m.catalogue());
            assertEquals("pooler", m.catalogue().byName("roberta.pooler.dense.weight").label());
        }
        Expected bert = bert("bert", "bert.", 2, false);
        bert.checkpoint.config("architectures", List.of("BertForMaskedLM")).withoutConfig("model_type")
                .tensor("cls.predictions.transform.dense.weight", 8, 8);
        try (ModelSource m = ModelSource.open(bert.checkpoint.write(dir.resolve("bert")))) {
            assertEquals("bert", m.catalogue().family().orElseThrow().name(), "chosen by architectures");
            assertEquals("bert.", m.catalogue().prefix());
            assertMatrices(bert, m.catalogue());
        }
        Expected xlmr = bert("xlm-roberta", "", 1, false);
        try (ModelSource m = ModelSource.open(xlmr.checkpoint.write(dir.resolve("xlmr")))) {
            assertMatrices(xlmr, m.catalogue());
        }
    }

    @Test
    void aShapeThatDisagreesWithTheConfigNamesTheTensorAndTheFields() {
        Function<Expected, TensorFormatException> open = e -> {
            Path folder = e.checkpoint.write(dir.resolve("m" + System.nanoTime()));
            return assertThrows(TensorFormatException.class, () -> ModelSource.open(folder).close());
        };
        Expected router = mixtral();
        router.checkpoint.tensor("model.layers.1.block_sparse_moe.gate.weight", 4, 16);
        TensorFormatException e = open.apply(router);
        assertTrue(e.getMessage().contains("\"model.layers.1.block_sparse_moe.gate.weight\" has shape [4, 16]")
                && e.getMessage().contains("[3, 16] (num_local_experts=3, hidden_size=16)"), e.getMessage());
        Expected qkv = mixtral();
        qkv.checkpoint.config("num_key_value_heads", 1);
        e = open.apply(qkv);
        assertTrue(e.getMessage().contains("\"model.layers.0.self_attn.k_proj.weight\"")
                && e.getMessage().contains("num_key_value_heads=1 × head_dim=4"), e.getMessage());
        Expected missing = bert("bert", "", 2, false);
        missing.checkpoint.config("num_hidden_layers", 3);
        e = open.apply(missing);
        assertTrue(e.getMessage().contains("\"encoder.layer.2.attention.self.query.weight\" is missing")
                && e.getMessage().contains("bert., roberta."), e.getMessage());
    }

    @Test
    void aMissingOrInconsistentConfigFieldNamesConfigJsonAndTheField() {
        Expected experts = mixtral();
        experts.checkpoint.withoutConfig("num_local_experts");
        Path folder = experts.checkpoint.write(dir.resolve("experts"));
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelSource.open(folder));
        assertTrue(e.getMessage().startsWith(folder.resolve("config.json").toString())
                && e.getMessage().contains("\"num_local_experts\" is missing"), e.getMessage());
        Expected heads = bert("bert", "", 2, false);
        heads.checkpoint.config("num_attention_heads", 3);
        Path bert = heads.checkpoint.write(dir.resolve("heads"));
        e = assertThrows(ModelConfigException.class, () -> ModelSource.open(bert));
        assertTrue(e.getMessage().contains("hidden_size 8 is not a multiple of num_attention_heads 3"), e.getMessage());
    }

    @Test
    void anUnknownModelTypeIsABagOfTensorsWithANoteAndCannotBeEvaluated() {
        Expected gpt2 = new Expected();
        gpt2.checkpoint.config("model_type", "gpt2").config("architectures", List.of("GPT2LMHeadModel"));
        gpt2.matrix("h.0.attn.c_attn.weight", 8, 24).vector("h.0.ln_1.weight", 8).matrix("wte.weight", 20, 8);
        try (ModelSource m = ModelSource.open(gpt2.checkpoint.write(dir))) {
            MatrixCatalogue c = m.catalogue();
            assertFalse(c.architectureKnown());
            assertMatrices(gpt2, c);
            assertTrue(c.note().orElseThrow().contains("model_type \"gpt2\" is not a family Lasermesh knows"),
                    c.note().orElseThrow());
            InvalidInputException byModule = assertThrows(InvalidInputException.class, () -> c.select("0", "q"));
            assertTrue(byModule.getMessage().contains("gpt2") && byModule.getMessage().contains("by tensor name"),
                    byModule.getMessage());
            ModelConfigException eval = assertThrows(ModelConfigException.class, m::decoderConfig);
            assertTrue(eval.getMessage().contains("model_type \"gpt2\"")
                    && eval.getMessage().contains("llama (model_type llama, mistral, qwen2)"), eval.getMessage());
        }
    }

    @Test
    void aFamilyWithoutAForwardPassIsAnalysedButNotEvaluated() {
        try (ModelSource m = ModelSource.open(mixtral().checkpoint.write(dir))) {
            ModelConfigException e = assertThrows(ModelConfigException.class, m::evaluationSupport);
            assertTrue(e.getMessage().contains("model_type \"mixtral\" (family mixtral) has no forward pass")
                    && e.getMessage().contains("llama (model_type llama, mistral, qwen2)"), e.getMessage());
        }
    }

    @Test
    void bertIsEvaluatedByATaskMetricNotByPerplexity() {
        try (ModelSource m = ModelSource.open(bert("bert", "", 2, false).checkpoint.write(dir))) {
            assertEquals(new EvaluationSupport(EvaluationSupport.ForwardPass.ENCODER,
                    EvaluationSupport.Metric.KNN_ACCURACY), m.evaluationSupport());
            ModelConfigException e = assertThrows(ModelConfigException.class, m::decoderConfig);
            assertTrue(e.getMessage().contains("model_type \"bert\" (family bert) has no forward pass for perplexity")
                    && e.getMessage().contains("knn-accuracy on a task folder (--task DIR)"), e.getMessage());
        }
    }
}
