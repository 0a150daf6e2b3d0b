package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.tensor.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lora merge}, {@code lora analyze} and {@code study lora} as a user runs them on the
 * tiny-llama-lora fixture, against its independent {@code reference.json} and {@code merged/}, and
 * their answers to bad adapters (exit 2, one line naming the tensor or field).
 */
class LoraCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final String BASE = CliRun.FIXTURES.resolve("tiny-llama").toString();
    private static final Path ADAPTER = CliRun.FIXTURES.resolve("tiny-llama-lora");
    private static final JsonNode REF = read(ADAPTER.resolve("reference.json"));

    @TempDir
    Path temp;

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void mergeWritesTheFixturesMergedModel() {
        Path out = temp.resolve("merged");
        CliRun r = CliRun.of("lora", "merge", BASE, ADAPTER.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("merged 42 matrices"), r.out());
        String name = "model.layers.3.mlp.up_proj.weight";
        try (SafetensorsFile ours = SafetensorsFile.open(out.resolve("model.safetensors"));
             SafetensorsFile fixture = SafetensorsFile.open(ADAPTER.resolve("merged/model.safetensors"))) {
            float[] expected = fixture.readFloats(name);
            float[] actual = ours.readFloats(name);
            for (int i = 0; i < expected.length; i++) {
                assertTrue(Math.abs(actual[i] - expected[i]) <= 3e-8, name + "[" + i + "]");
            }
        }
        JsonNode report = read(out.resolve("lasermesh-report.json"));
        assertEquals(2.0, report.get("scaling").asDouble());
        assertEquals("none", report.get("base_quant").asText());
    }

    @Test
    void analyzeJsonGivesTheReferenceSpectraBeforeAndAfter() throws IOException {
        CliRun r = CliRun.of("lora", "analyze", BASE, ADAPTER.toString(), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(42, doc.get("matrices").size());
        for (JsonNode m : doc.get("matrices")) {
            JsonNode ref = REF.get("matrices").get(m.get("name").asText());
            for (String side : List.of("base", "merged")) {
                assertEquals(ref.at("/" + side + "/k").asInt(), m.at("/" + side + "/k").asInt(), m.get("name") + side);
                assertClose(ref.at("/" + side + "/threshold").asDouble(), m.at("/" + side + "/threshold").asDouble());
                assertClose(ref.at("/" + side + "/snr_over_sigma_max").asDouble(),
                        m.at("/" + side + "/snr_over_sigma_max").asDouble());
            }
            assertClose(ref.at("/delta_singular_values/0").asDouble(), m.at("/delta_singular_values/0").asDouble());
            assertClose(ref.get("delta_energy_in_W_top_k_left").asDouble(), m.at("/overlap/energy_left").asDouble());
        }
        assertEquals(29, doc.at("/summary/k_down").asInt());
    }

    private static void assertClose(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), actual + " vs " + expected);
    }

    @Test
    void studyOnTheHeldOutTextGivesTheReferencePerplexities() throws IOException {
        CliRun r = CliRun.of("study", "lora", BASE, ADAPTER.toString(), "--text",
                ADAPTER.resolve("eval-2017-2021.txt").toString(), "--layers", "5", "--strategy", "one-shot",
                "--max-tokens", "8192", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(58, doc.at("/laser/on_base/model.layers.5.self_attn.q_proj.weight").asInt());
        String[][] names = {{"base", "base"}, {"laser", "laser5"}, {"merged", "merged"},
                {"lora-then-laser", "lora_then_laser5"}, {"laser-then-lora", "laser5_then_lora"}};
        for (int i = 0; i < names.length; i++) {
            JsonNode v = doc.get("variants").get(i);
            assertEquals(names[i][0], v.get("name").asText());
            double expected = REF.at("/perplexity/eval-2017-2021.txt/" + names[i][1] + "/float64").asDouble();
            double actual = v.at("/perplexity/eval-2017-2021.txt").asDouble();
            assertTrue(Math.abs(actual - expected) <= 1e-4 * expected, names[i][0] + ": " + actual + " vs " + expected);
        }
    }

    @Test
    void badAdaptersAndOptionsAreBadInputNamingTheTensorOrField() throws IOException {
        CliRun.of("lora", "analyze", CliRun.FIXTURES.resolve("stories260K").toString(), ADAPTER.toString())
                .assertBadInputNaming("lora_A.weight has shape [8, 704] but must be [8, 172]");
        CliRun.of("lora", "merge", BASE, edited("dora", c -> c.put("use_dora", true)).toString(), "--out",
                temp.resolve("o").toString()).assertBadInputNaming("use_dora");
        CliRun.of("lora", "analyze", BASE, edited("ia3", c -> c.put("peft_type", "IA3")).toString())
                .assertBadInputNaming("peft_type", "IA3");
        CliRun.of("lora", "analyze", BASE, edited("target", c -> c.withArray("target_modules").add("qkv_proj")).toString())
                .assertBadInputNaming("target_modules", "qkv_proj");
        Path noB = edited("nob", c -> { });
        try (SafetensorsFile full = SafetensorsFile.open(ADAPTER.resolve("adapter_model.safetensors"))) {
            var writer = new dev.lasermesh.core.tensor.SafetensorsWriter(noB.resolve("adapter_model.safetensors"));
            full.tensors().stream().filter(t -> !t.name().contains("layers.4.mlp.up_proj.lora_B"))
                    .forEach(t -> writer.copy(full, t.name()));
            writer.write();
        }
        CliRun.of("lora", "analyze", BASE, noB.toString())
                .assertBadInputNaming("base_model.model.model.layers.4.mlp.up_proj.lora_B.weight is missing");
        CliRun.of("lora", "analyze", BASE, ADAPTER.toString(), "--base-quant", "nf8").assertBadInputNaming("nf8");
        CliRun.of("study", "lora", BASE, ADAPTER.toString(), "--text", ADAPTER.resolve("eval-2017-2021.txt").toString(),
                "--strategy", "laser-grid").assertBadInputNaming("--strategy laser-grid");
        CliRun.of("lora", "merge", BASE, ADAPTER.toString(), "--out", BASE).assertBadInputNaming(BASE);
    }

    private Path edited(String name, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(name));
        ObjectNode config = (ObjectNode) JSON.readTree(ADAPTER.resolve("adapter_config.json").toFile());
        edit.accept(config);
        JSON.writeValue(folder.resolve("adapter_config.json").toFile(), config);
        Files.copy(ADAPTER.resolve("adapter_model.safetensors"), folder.resolve("adapter_model.safetensors"));
        return folder;
    }
}
