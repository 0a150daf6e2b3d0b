package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lasermesh scan} as a user runs it on tiny-llama, against Spectrum's files in {@code fixtures/spectrum}. */
class ScanCliTest {

    private static final Path SPECTRUM = CliRun.FIXTURES.resolve("spectrum");
    private static final String MODEL = CliRun.FIXTURES.resolve("tiny-llama").toString();

    @TempDir
    Path temp;

    @Test
    void writesSpectrumsFilesAndPrintsTheYaml() throws IOException {
        Path out = temp.resolve("scan");
        CliRun r = CliRun.of("scan", MODEL, "--top-percent", "50", "--top-percent", "25", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        for (String yaml : List.of("snr_results_tiny-llama_unfrozenparameters_50percent.yaml",
                "snr_results_tiny-llama_unfrozenparameters_25percent.yaml")) {
            assertEquals(Files.readString(SPECTRUM.resolve(yaml)), Files.readString(out.resolve(yaml)), yaml);
        }
        assertEquals(Files.readString(SPECTRUM.resolve("snr_results_tiny-llama_unfrozenparameters_50percent.yaml"))
                + "---\n" + Files.readString(SPECTRUM.resolve("snr_results_tiny-llama_unfrozenparameters_25percent.yaml")),
                r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(SPECTRUM.resolve("snr_results_tiny-llama.json").toFile());
        JsonNode actual = json.readTree(out.resolve("snr_results_tiny-llama.json").toFile());
        assertEquals(names(expected), names(actual));
        for (String name : names(expected)) {
            double e = expected.at("/" + name + "/snr").asDouble();
            assertTrue(Math.abs(actual.at("/" + name + "/snr").asDouble() - e) <= 1e-6 * e, name);
        }
        JsonNode peft = json.readTree(out.resolve("peft_target_modules_tiny-llama_top16.json").toFile());
        assertEquals(7, peft.get("target_modules").size());
        assertTrue(peft.get("layers_to_transform").isNull());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void peftFormatPrintsTheTopNOfEachProjection() throws IOException {
        Path out = temp.resolve("named");
        CliRun r = CliRun.of("scan", MODEL, "--top-percent", "50", "--format", "peft", "--top-n", "1",
                "--model-name", "org/tiny_llama", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("snr_results_org-tiny-llama.json")), "Spectrum's slug names the file");
        JsonNode peft = new ObjectMapper().readTree(r.out());
        assertEquals(1, peft.get("top_n").asInt());
        assertEquals("model.layers.0.self_attn.v_proj", peft.at("/per_type/self_attn.v_proj/0").asText());
    }

    @Test
    void badPercentagesAndModelsWithoutConfigAreBadInput() throws IOException {
        CliRun.of("scan", MODEL, "--top-percent", "150").assertBadInputNaming("--top-percent 150");
        CliRun.of("scan", CliRun.FIXTURES.resolve("spectra/noise-512x512.safetensors").toString(), "--top-percent", "50")
                .assertBadInputNaming("no config.json");
        Path file = Files.writeString(temp.resolve("file"), "x");
        CliRun.of("scan", MODEL, "--top-percent", "50", "--out", file.toString()).assertBadInputNaming("must be a folder");
    }
}
