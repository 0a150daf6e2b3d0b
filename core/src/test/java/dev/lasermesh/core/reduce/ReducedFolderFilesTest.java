package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reduced folder says about itself: a factored folder's config.json names the transformers
 * classes of its modeling_lasermesh.py (model_type, architectures, auto_map) with the ranks of its
 * factors and keeps every other field; the model card no longer vouches for the input's weights; a
 * dense output written over an earlier factored one keeps none of its files.
 */
class ReducedFolderFilesTest {

    private static final JsonNode LASER = Fixtures.json("tiny-llama/reference.json").at("/laser/matrices");
    private static final Path TINY_LLAMA = Fixtures.path("tiny-llama");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void factoredConfigNamesTheLasermeshClassesAndTheRanksAndKeepsEverythingElse() throws IOException {
        Path out = dir.resolve("factored");
        TinyLlamaOutputs.laserRmt(out, StorageForm.FACTORED, TinyLlamaOutputs.DOWN_5, TinyLlamaOutputs.Q_2);
        ObjectNode config = (ObjectNode) JSON.readTree(out.resolve("config.json").toFile());
        ObjectNode input = (ObjectNode) JSON.readTree(TINY_LLAMA.resolve("config.json").toFile());
        assertEquals("lasermesh_llama", config.get("model_type").asText());
        assertEquals(JSON.readTree("[\"LasermeshLlamaForCausalLM\"]"), config.get("architectures"));
        assertEquals(JSON.readTree("{\"AutoConfig\": \"modeling_lasermesh.LasermeshLlamaConfig\","
                + "\"AutoModelForCausalLM\": \"modeling_lasermesh.LasermeshLlamaForCausalLM\"}"), config.get("auto_map"));
        ObjectNode ranks = JSON.createObjectNode();
        ranks.put("model.layers.2.self_attn.q_proj", LASER.get(TinyLlamaOutputs.Q_2).get("k").asInt());
        ranks.put("model.layers.5.mlp.down_proj", LASER.get(TinyLlamaOutputs.DOWN_5).get("k").asInt());
        assertEquals(ranks, config.get("lasermesh_ranks"));
        for (String changed : List.of("model_type", "architectures", "auto_map", "lasermesh_ranks")) {
            config.remove(changed);
            input.remove(changed);
        }
        assertEquals(input, config, "every other field as in the input's config.json");
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"attention_dropout\" : 0.0,"),
                "a float stays a float for Python");
        assertEquals("llama", ModelConfig.read(out.resolve("config.json")).modelType(), "Lasermesh reads the family");
        for (String code : ReducedFolderFiles.TRANSFORMERS_CODE) {
            try (InputStream resource = ReducedFolderFiles.class.getResourceAsStream(code)) {
                assertArrayEquals(resource.readAllBytes(), Files.readAllBytes(out.resolve(code)), code);
            }
        }
        RankMap map = RankMap.read(out.resolve(RankMap.FILE));
        assertEquals(new RankMap.Entry(89, RankMap.factorNames(TinyLlamaOutputs.DOWN_5)), map.get(TinyLlamaOutputs.DOWN_5));
    }

    @Test
    void modelCardListsTheOutputsChecksumsInsteadOfTheInputs() throws IOException {
        Path out = dir.resolve("card");
        TinyLlamaOutputs.laserRmt(out, StorageForm.FACTORED, TinyLlamaOutputs.DOWN_5);
        String card = Files.readString(out.resolve(ModelCard.FILE));
        String inputSha = sha256(TINY_LLAMA.resolve("model.safetensors"));
        assertTrue(Files.readString(TINY_LLAMA.resolve(ModelCard.FILE)).contains(inputSha), "the fixture card names its sha256");
        assertFalse(card.contains(inputSha), "the input's checksum is gone");
        String outputSha = sha256(out.resolve("model.safetensors"));
        assertTrue(card.startsWith("<!-- written by Lasermesh -->"), card.substring(0, 80));
        assertTrue(card.contains("- `model.safetensors`: `" + outputSha + "`"), "the note lists the output's checksum");
        assertTrue(card.contains("sha256 `" + outputSha + "`"), "the card's own checksum is the output's");
        assertTrue(card.contains("1 weight matrix was replaced") && card.contains("trust_remote_code=True"),
                card.substring(0, 600));
        assertTrue(card.contains(Files.readString(TINY_LLAMA.resolve(ModelCard.FILE)).lines().skip(3).findFirst()
                .orElseThrow()), "the rest of the card is kept");
    }

    @Test
    void noteFollowsTheCardsFrontMatter() throws IOException {
        Path model = Files.createDirectories(dir.resolve("with-front-matter"));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(TINY_LLAMA.resolve(f), model.resolve(f));
        }
        String inputSha = sha256(model.resolve("model.safetensors"));
        Files.writeString(model.resolve(ModelCard.FILE), "---\r\nlicense: cc0-1.0\r\n---\r\n# Tiny\r\nSHA-256: "
                + inputSha.toUpperCase(java.util.Locale.ROOT) + "\r\n");
        Path out = dir.resolve("dense-card");
        TinyLlamaOutputs.write(model, out, StorageForm.DENSE, Map.of(TinyLlamaOutputs.DOWN_5, new FixedRankPolicy(64)));
        String card = Files.readString(out.resolve(ModelCard.FILE));
        assertTrue(card.startsWith("---\r\nlicense: cc0-1.0\r\n---\r\n\n<!-- written by Lasermesh -->"), card);
        assertTrue(card.contains("stored dense") && card.endsWith("# Tiny\r\nSHA-256: " + sha256(out.resolve(
                "model.safetensors")) + "\r\n"), card);
    }

    @Test
    void denseOutputOverAnEarlierFactoredOneKeepsNoneOfItsFiles() throws IOException {
        Path out = dir.resolve("rerun");
        TinyLlamaOutputs.laserRmt(out, StorageForm.FACTORED, TinyLlamaOutputs.DOWN_5);
        assertTrue(Files.exists(out.resolve("modeling_lasermesh.py")));
        TinyLlamaOutputs.laserRmt(out, StorageForm.DENSE, TinyLlamaOutputs.DOWN_5);
        for (String gone : List.of(RankMap.FILE, "modeling_lasermesh.py", "lasermesh_low_rank.py")) {
            assertFalse(Files.exists(out.resolve(gone)), gone);
        }
        assertEquals(-1, Files.mismatch(TINY_LLAMA.resolve("config.json"), out.resolve("config.json")));
    }

    @Test
    void aTiedEmbeddingIsNotStoredFactored() throws IOException {
        Path model = Files.createDirectories(dir.resolve("tied"));
        ObjectNode config = (ObjectNode) JSON.readTree(TINY_LLAMA.resolve("config.json").toFile());
        config.put("tie_word_embeddings", true);
        JSON.writeValue(model.resolve("config.json").toFile(), config);
        Files.copy(TINY_LLAMA.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Path out = dir.resolve("tied-out");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TinyLlamaOutputs.write(model, out,
                StorageForm.FACTORED, Map.of("model.embed_tokens.weight", new FixedRankPolicy(64))));
        assertTrue(e.getMessage().contains("model.embed_tokens.weight") && e.getMessage().contains("tie_word_embeddings"),
                e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
