package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user meets it: exit codes, one-line messages for bad input, and the JSON shape of
 * {@code analyze} (checked against the independent spectra reference).
 */
class CliTest {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = LasermeshCli.commandLine()
                    .setOut(new java.io.PrintWriter(System.out, true))
                    .setErr(new java.io.PrintWriter(System.err, true))
                    .execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void analyzeJsonHasTheDocumentedShapeAndTheReferenceDecision() throws IOException {
        Run r = run("analyze", FIXTURES.resolve("spectra/planted-r8-300x700.safetensors").toString(),
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
    void fractionPolicyFromTheCommandLine() throws IOException {
        Run r = run("analyze", FIXTURES.resolve("spectra/noise-512x512.safetensors").toString(), "--policy",
                "fraction", "--fraction", "0.1", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(0.1, doc.get("policy").get("fraction").asDouble());
        assertEquals(51, doc.get("matrices").get(0).get("rank").asInt(), "floor(0.1*512), as the reference says");
        assertTrue(!doc.get("matrices").get(0).has("singular_values"), "singular values only on request");
    }

    @Test
    void aMissingPathIsBadInputWithOneLine() {
        Run r = run("analyze", temp.resolve("nope").toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit());
        assertOneLineNaming(r.err(), "nope");
    }

    @Test
    void aTruncatedFileIsBadInputNamingTheFile() throws IOException {
        Path truncated = temp.resolve("broken.safetensors");
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("spectra/noise-512x512.safetensors"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Run r = run("analyze", truncated.toString());
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit());
        assertOneLineNaming(r.err(), "broken.safetensors");
    }

    @Test
    void anUnknownPolicyOrMatrixIsBadInput() {
        Run policy = run("analyze", FIXTURES.resolve("tiny-llama").toString(), "--policy", "svd");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, policy.exit());
        assertOneLineNaming(policy.err(), "svd");
        Run matrix = run("analyze", FIXTURES.resolve("tiny-llama").toString(), "--matrix", "model.layers.9.mlp.x");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, matrix.exit());
        assertOneLineNaming(matrix.err(), "model.layers.9.mlp.x");
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
        Run r = run("analyze", model.toString(), "--format", "json");
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, r.exit());
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(doc.get("matrices").get(0).get("error").asText().contains("NaN"), r.out());
        assertEquals(2, doc.get("matrices").get(1).get("rank").asInt(), "b was analysed: " + r.out());
        assertTrue(r.err().contains("\"a\""), r.err());
    }

    private static void assertOneLineNaming(String err, String what) {
        String[] lines = err.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("lasermesh: ") && last.contains(what), "message names " + what + ": " + err);
        assertTrue(!err.contains("\tat "), "no stack trace: " + err);
    }
}
