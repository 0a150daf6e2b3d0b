package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user meets it: exit codes, one-line messages for bad input, and the JSON shape of
 * {@code analyze} (checked against the independent spectra reference).
 */
class CliTest {

    private static final Path FIXTURES = CliRun.FIXTURES;
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    @TempDir
    Path temp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void analyzeJsonHasTheDocumentedShapeAndTheReferenceDecision() throws IOException {
        CliRun r = run("analyze", FIXTURES.resolve("spectra/planted-r8-300x700.safetensors").toString(),
                "--format", "json", "--singular-values");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        JsonNode reference = JSON.readTree(FIXTURES.resolve("spectra/reference.json").toFile())
                .get("matrices").get("planted-r8-300x700");
        assertEquals("laserrmt", doc.get("policy").get("name").asText());
        JsonNode m = doc.get("matrices").get(0);
        assertEquals("weight", m.get("name").asText());
        assertEquals(300, m.get("shape").get(0).asInt());
        assertEquals(700, m.get("shape").get(1).asInt());
        assertEquals("F32", m.get("dtype").asText());
        assertEquals(reference.get("laserrmt").get("k").asInt(), m.get("rank").asInt());
        assertEquals(reference.get("laserrmt").get("threshold").asDouble(), m.get("threshold").asDouble(),
                1e-9 * reference.get("laserrmt").get("threshold").asDouble());
        assertEquals(reference.get("laserrmt").get("sigma").asDouble(), m.get("sigma").asDouble(), 1e-9);
        assertEquals(300, m.get("singular_values").size());
        for (String field : new String[] {"snr", "snr_over_smax", "condition_number", "layer", "module"}) {
            assertTrue(m.has(field), field);
        }
    }

    @Test
    void singularValuesAreListedAfterTheTableToo() throws IOException {
        CliRun r = run("analyze", FIXTURES.resolve("spectra/planted-r8-300x700.safetensors").toString(),
                "--singular-values");
        assertEquals(0, r.exit(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith("singular values of weight (300): ")).findFirst()
                .orElseThrow(() -> new AssertionError("no singular values line in:\n" + r.out()));
        String[] printed = line.substring(line.indexOf(": ") + 2).split(" ");
        JsonNode reference = JSON.readTree(FIXTURES.resolve("spectra/reference.json").toFile())
                .get("matrices").get("planted-r8-300x700").get("singular_values");
        assertEquals(reference.size(), printed.length);
        for (int i = 0; i < printed.length; i++) {
            double want = reference.get(i).asDouble();
            assertEquals(want, Double.parseDouble(printed[i]), 5e-6 * want, "six significant digits, value " + i);
        }
    }

    @Test
    void fractionPolicyFromTheCommandLine() throws IOException {
        CliRun r = run("analyze", FIXTURES.resolve("spectra/noise-512x512.safetensors").toString(), "--policy",
                "fraction", "--fraction", "0.1", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(0.1, doc.get("policy").get("fraction").asDouble());
        assertEquals(51, doc.get("matrices").get(0).get("rank").asInt(), "floor(0.1*512), as the reference says");
        assertTrue(!doc.get("matrices").get(0).has("singular_values"), "singular values only on request");
    }

    @Test
    void aMissingPathIsBadInputWithOneLine() {
        CliRun r = run("analyze", temp.resolve("nope").toString());
        r.assertBadInputNaming("nope");
    }

    @Test
    void aTruncatedFileIsBadInputNamingTheFile() throws IOException {
        Path truncated = temp.resolve("broken.safetensors");
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("spectra/noise-512x512.safetensors"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun r = run("analyze", truncated.toString());
        r.assertBadInputNaming("broken.safetensors");
    }

    @Test
    void anUnknownPolicyOrMatrixIsBadInput() {
        CliRun policy = run("analyze", FIXTURES.resolve("tiny-llama").toString(), "--policy", "svd");
        policy.assertBadInputNaming("svd");
        CliRun matrix = run("analyze", FIXTURES.resolve("tiny-llama").toString(), "--matrix", "model.layers.9.mlp.x");
        matrix.assertBadInputNaming("model.layers.9.mlp.x");
    }

    @Test
    void nanWeightsFailThatMatrixOnlyAndTheOthersAreStillAnalysed() throws IOException {
        Path model = temp.resolve("two.safetensors");
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}}";
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + header.length() + 32)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : new float[] {1, 0, 0, Float.NaN, 2, 0, 0, 1}) {
            buf.putFloat(v);
        }
        Files.write(model, buf.array());
        CliRun r = run("analyze", model.toString(), "--format", "json");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit());
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.get("matrices").get(0).get("error").asText().contains("NaN"), r.out());
        assertEquals(2, doc.get("matrices").get(1).get("rank").asInt(), "b was analysed: " + r.out());
        assertTrue(r.err().contains("\"a\""), r.err());
    }

    /**
     * What {@code reduce --factored} writes, {@code eval} reads, as MODEL and as {@code --overlay}, and scores as
     * tiny-llama/reference.json's PyTorch perplexity with layer 5's down_proj at its laserRMT rank (1e-6
     * relative); {@code reduce --help} says how the folder loads.
     */
    @Test
    void evalReadsAFactoredOutputAsModelAndAsOverlay() throws IOException {
        Path tiny = FIXTURES.resolve("tiny-llama");
        Path out = temp.resolve("factored");
        CliRun reduce = run("reduce", tiny.toString(), "--out", out.toString(), "--factored", "--layers", "5",
                "--modules", "down");
        assertEquals(0, reduce.exit(), reduce.err());
        double expected = JSON.readTree(tiny.resolve("reference.json").toFile())
                .at("/laser/matrices/model.layers.5.mlp.down_proj.weight/perplexity_after/float32/laserrmt/ppl").asDouble();
        String text = FIXTURES.resolve("text/sotu-2009-2021.txt").toString();
        for (List<String> model : List.of(List.of(out.toString()), List.of(tiny.toString(), "--overlay", out.toString()))) {
            List<String> args = new ArrayList<>(List.of("eval"));
            args.addAll(model);
            args.addAll(List.of("--text", text, "--max-tokens", "8192", "--format", "json"));
            CliRun eval = run(args.toArray(String[]::new));
            assertEquals(0, eval.exit(), eval.err());
            double ppl = JSON.readTree(eval.out()).get("perplexity").asDouble();
            assertEquals(expected, ppl, 1e-6 * expected, "eval " + model);
        }
        String help = run("reduce", "--help").out().replaceAll("\\s+", " ");
        assertFalse(help.contains("standard tools load"), help);
        assertTrue(help.contains("trust_remote_code=True") && help.contains("lasermesh eval reads"), help);
    }
}
