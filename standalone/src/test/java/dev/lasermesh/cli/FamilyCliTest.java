package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.model.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze}, {@code reduce} and {@code eval} on folders of other families than llama: the
 * all-MiniLM-L6-v2 encoder fixture, a tiny Phi-3 whose config disagrees with its tensors, and a
 * folder whose model_type no family knows.
 */
class FamilyCliTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
    private static final Path MINILM = FIXTURES.resolve("minilm");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void analyzeAnEncoderFolderListsTheSixModulesOfItsSixLayers() throws IOException {
        CliRun r = CliRun.of("analyze", MINILM.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode matrices = JSON.readTree(r.out()).get("matrices");
        assertEquals(36, matrices.size());
        List<String> firstLayer = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            firstLayer.add(matrices.get(i).get("module").asText() + "=" + matrices.get(i).get("name").asText());
        }
        assertEquals(List.of("q=encoder.layer.0.attention.self.query.weight",
                "k=encoder.layer.0.attention.self.key.weight", "v=encoder.layer.0.attention.self.value.weight",
                "o=encoder.layer.0.attention.output.dense.weight", "up=encoder.layer.0.intermediate.dense.weight",
                "down=encoder.layer.0.output.dense.weight"), firstLayer);
        assertEquals(5, matrices.get(35).get("layer").asInt());
        assertTrue(!JSON.readTree(r.out()).has("note"), "the family is known");
    }

    @Test
    void modulesAreTheFamilysAndAWrongOneListsThem() {
        CliRun gate = CliRun.of("analyze", MINILM.toString(), "--modules", "q,gate");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, gate.exit());
        gate.assertBadInputNaming("unknown module \"gate\" for family bert (valid: q, k, v, o, up, down");
    }

    @Test
    void reduceAnEncoderFolderWritesASentenceTransformersFolder() throws IOException {
        Path out = temp.resolve("reduced");
        CliRun r = CliRun.of("reduce", MINILM.toString(), "--out", out.toString(), "--layers", "5", "--modules", "query");
        assertEquals(0, r.exit(), r.err());
        for (String file : List.of("modules.json", "sentence_bert_config.json", "1_Pooling/config.json",
                "tokenizer.json", "config.json", "model.safetensors", "lasermesh-report.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        JsonNode reduced = JSON.readTree(out.resolve("lasermesh-report.json").toFile()).get("matrices").get(0);
        assertEquals("encoder.layer.5.attention.self.query.weight", reduced.get("analysis").get("name").asText());
        assertEquals(72, reduced.get("reduction").get("rank").asInt(), "reference.json's laserRMT k");
    }

    @Test
    void aConfigThatDisagreesWithTheTensorsIsBadInputNamingTheTensor() {
        SyntheticCheckpoint phi3 = new SyntheticCheckpoint().config("model_type", "phi3").config("hidden_size", 16)
                .config("num_attention_heads", 4).config("num_key_value_heads", 2).config("intermediate_size", 24)
                .config("vocab_size", 32).config("num_hidden_layers", 1)
                .tensor("model.embed_tokens.weight", 32, 16)
                .tensor("model.layers.0.self_attn.qkv_proj.weight", 48, 16)
                .tensor("model.layers.0.self_attn.o_proj.weight", 16, 16)
                .tensor("model.layers.0.mlp.gate_up_proj.weight", 48, 16)
                .tensor("model.layers.0.mlp.down_proj.weight", 16, 24)
                .tensor("lm_head.weight", 32, 16);
        CliRun r = CliRun.of("analyze", phi3.write(temp.resolve("phi3")).toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit());
        r.assertBadInputNaming("\"model.layers.0.self_attn.qkv_proj.weight\" has shape [48, 16]");
        assertTrue(r.err().contains("implies [32, 16]"), r.err());
    }

    private Path unknownFamily() {
        return new SyntheticCheckpoint().config("model_type", "gpt2").tensor("wte.weight", 20, 8)
                .tensor("h.0.ln_1.weight", 8).tensor("h.0.attn.c_attn.weight", 8, 24).write(temp.resolve("gpt2"));
    }

    @Test
    void anUnknownFamilyIsAnalysedTensorByTensorWithANote() throws IOException {
        Path model = unknownFamily();
        CliRun r = CliRun.of("analyze", model.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(2, doc.get("matrices").size(), "every 2-D tensor");
        assertEquals("other", doc.get("matrices").get(0).get("module").asText());
        assertTrue(doc.get("note").asText().contains("model_type \"gpt2\" is not a family"), r.out());
        assertTrue(r.err().contains("lasermesh: note:"), r.err());
        CliRun reduce = CliRun.of("reduce", model.toString(), "--out", temp.resolve("out").toString(), "--matrix", "wte.weight");
        assertEquals(0, reduce.exit(), reduce.err());
        CliRun byModule = CliRun.of("analyze", model.toString(), "--modules", "q");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, byModule.exit());
        byModule.assertBadInputNaming("select them by tensor name");
    }

    @Test
    void evalOfAFamilyWithoutForwardPassNamesTheModelTypeAndTheFamiliesThatCanBeEvaluated() throws IOException {
        Path text = Files.writeString(temp.resolve("t.txt"), "some text to score");
        for (Path model : List.of(unknownFamily(), MINILM)) {
            CliRun r = CliRun.of("eval", model.toString(), "--text", text.toString());
            assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit(), r.err());
            r.assertBadInputNaming("evaluation works for llama (model_type llama, mistral, qwen2)");
            assertTrue(r.err().contains(model.equals(MINILM) ? "model_type \"bert\"" : "model_type \"gpt2\""), r.err());
        }
        CliRun run = CliRun.of("run", MINILM.toString(), "--text", text.toString(), "--out", temp.resolve("run").toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, run.exit(), run.err());
        run.assertBadInputNaming("(family bert) has no forward pass");
    }
}
