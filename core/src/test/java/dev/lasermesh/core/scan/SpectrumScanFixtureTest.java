package dev.lasermesh.core.scan;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lasermesh scan} of the tiny-llama fixture against {@code fixtures/spectrum/} (what Spectrum's
 * {@code spectrum.py} writes, reproduced with NumPy outside the project): the JSON with the same keys in
 * the same order, the same types and every score within 1e-6 relative; the 50% and 25% YAML identical
 * line for line, and parsed by a YAML library (Jackson's YAML module, on SnakeYAML).
 */
class SpectrumScanFixtureTest {

    private static final double TOLERANCE = 1e-6;
    private static SpectrumScan scan;

    @BeforeAll
    static void scan() {
        try (ModelSource model = ModelSource.open(Fixtures.path("tiny-llama"))) {
            scan = new SpectrumScanner(LinearAlgebras.create()).scan(model, "tiny-llama", (done, total, m) -> { });
        }
    }

    @Test
    void jsonHasTheReferenceKeysInOrderTypesAndScores() throws IOException {
        assertEquals("snr_results_tiny-llama.json", scan.jsonFileName());
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(Fixtures.path("spectrum/snr_results_tiny-llama.json").toFile());
        JsonNode actual = json.readTree(scan.json());
        List<String> expectedKeys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedKeys::add);
        List<String> actualKeys = new ArrayList<>();
        actual.fieldNames().forEachRemaining(actualKeys::add);
        assertEquals(expectedKeys, actualKeys);
        double worst = 0;
        for (String key : expectedKeys) {
            assertEquals(expected.at("/" + key + "/type").asText(), actual.at("/" + key + "/type").asText(), key);
            double e = expected.get(key).get("snr").asDouble();
            double a = actual.get(key).get("snr").asDouble();
            assertRelative(e, a, TOLERANCE, key);
            worst = Math.max(worst, Math.abs(a - e) / Math.abs(e));
        }
        System.out.printf("spectrum scores: largest relative difference %.2e%n", worst);
    }

    @Test
    void jsonIsLaidOutAsPythonsJsonDumpWithIndentFour() throws IOException {
        List<String> expected = Files.readAllLines(Fixtures.path("spectrum/snr_results_tiny-llama.json"));
        List<String> actual = scan.json().lines().toList();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            if (e.trim().startsWith("\"snr\": ")) {
                assertEquals(e.substring(0, e.indexOf(':')), actual.get(i).substring(0, actual.get(i).indexOf(':')));
            } else {
                assertEquals(e, actual.get(i), "line " + (i + 1));
            }
        }
    }

    @Test
    void fiftyAndTwentyFivePercentYamlAreIdenticalLineForLine() throws IOException {
        for (int percent : new int[] {50, 25}) {
            String name = scan.yamlFileName(percent);
            assertEquals("snr_results_tiny-llama_unfrozenparameters_" + percent + "percent.yaml", name);
            assertEquals(Files.readAllLines(Fixtures.path("spectrum/" + name)), scan.yaml(percent).lines().toList(), name);
            assertEquals(Files.readString(Fixtures.path("spectrum/" + name)), scan.yaml(percent), name);
        }
    }

    @Test
    void yamlParsesWithAYamlLibrary() throws IOException {
        JsonNode root = new YAMLMapper().readTree(scan.yaml(50));
        JsonNode list = root.get("unfrozen_parameters");
        assertEquals("^lm_head.weight$", list.get(0).asText());
        assertEquals("^model.embed_tokens.weight$", list.get(1).asText());
        assertEquals(scan.yaml(50).lines().filter(l -> l.startsWith("- ")).count(), list.size());
        assertEquals("model.layers.0.input_layernorm", list.get(2).asText());
    }

    @Test
    void laserQloraSuggestionKeepsTheTopNOfEachProjectionByTheReferenceScores() throws IOException {
        PeftTargetSuggestion all = PeftTargetSuggestion.of(scan, PeftTargetSuggestion.DEFAULT_TOP_N);
        assertEquals(List.of("v_proj", "k_proj", "o_proj", "q_proj", "down_proj", "up_proj", "gate_proj"),
                all.targetModules());
        assertNull(all.layersToTransform());

        JsonNode reference = new ObjectMapper().readTree(Fixtures.path("spectrum/snr_results_tiny-llama.json").toFile());
        PeftTargetSuggestion top2 = PeftTargetSuggestion.of(scan, 2);
        for (Map.Entry<String, List<String>> e : top2.perType().entrySet()) {
            List<String> ofType = new ArrayList<>();
            reference.fieldNames().forEachRemaining(n -> {
                if (reference.at("/" + n + "/type").asText().equals(e.getKey())) {
                    ofType.add(n);
                }
            });
            ofType.sort(Comparator.comparingDouble((String n) -> reference.at("/" + n + "/snr").asDouble()).reversed());
            assertEquals(ofType.subList(0, 2), e.getValue(), e.getKey());
        }
        assertEquals(top2.perType().values().stream().flatMap(List::stream).toList(), top2.targetModules());
        assertNull(top2.layersToTransform());
    }
}
