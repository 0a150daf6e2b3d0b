package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged models, as an outside tester built them: each is bad input (exit 2, one line naming the
 * file and the problem, no stack trace) or, where the model is fine, gives the reference result.
 */
class DamagedModelCliTest {

    private static final String TEXT = CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt").toString();
    /** tiny-llama's float32 laserrmt perplexity on the first 8192 tokens of the text (reference.json). */
    private static final double REFERENCE_PERPLEXITY = 21.091849546155252;

    @TempDir
    Path temp;

    private JsonNode reference() throws IOException {
        return new ObjectMapper().readTree(CliRun.FIXTURES.resolve("tiny-llama/reference.json").toFile());
    }

    @Test
    void hugeFiniteWeightsThatOverflowTheForwardPassAreBadInputNamingWhere() {
        Path model = DamagedModels.withTensors(temp.resolve("huge"),
                Map.of("model.layers.5.mlp.down_proj.weight", values -> filled(values, 3e38f)));
        CliRun.of("eval", model.toString(), "--text", TEXT, "--max-tokens", "1024")
                .assertBadInputNaming(model.toString(), "the float32 forward pass overflows",
                        "the output of layer 5", "no perplexity");
        Path head = DamagedModels.withTensors(temp.resolve("huge-head"),
                Map.of("lm_head.weight", values -> alternating(values, 3e38f)));
        CliRun.of("eval", head.toString(), "--text", TEXT, "--max-tokens", "1024")
                .assertBadInputNaming("the float32 forward pass overflows", "the logits");
    }

    @Test
    void aLikelihoodBeyondTheDoubleRangeIsAnInfinitePerplexityWithItsFiniteMean() throws IOException {
        Path model = DamagedModels.withTensors(temp.resolve("sharp"), Map.of("lm_head.weight", values -> {
            for (int i = 0; i < values.length; i++) {
                values[i] *= 1e4f;
            }
            return values;
        }));
        CliRun r = CliRun.of("eval", model.toString(), "--text", TEXT, "--max-tokens", "1024", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("mean_nll").isDouble() && doc.get("mean_nll").asDouble() > Math.log(Double.MAX_VALUE),
                r.out());
        assertEquals("Infinity", doc.get("perplexity").asText(), r.out());
    }

    @Test
    void anEmptyTensorInASingleFileFailsThatMatrixOnly() throws IOException {
        String header = "{\"empty\":{\"dtype\":\"F32\",\"shape\":[0,300],\"data_offsets\":[0,0]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : new float[] {2, 0, 0, 1}) {
            buf.putFloat(v);
        }
        Path file = Files.write(temp.resolve("empty.safetensors"), buf.array());
        CliRun r = CliRun.of("analyze", file.toString(), "--format", "json");
        r.assertBadInputNaming("\"empty\" is empty (0x300)", "no singular values");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(2, doc.get("matrices").get(1).get("rank").asInt(), "b was analysed: " + r.out());
    }

    @Test
    void anActivationTheEvaluatorDoesNotComputeIsRefusedNamingConfigAndValue() {
        Path model = DamagedModels.withConfig(temp.resolve("gelu"), c -> c.put("hidden_act", "gelu"));
        CliRun.of("eval", model.toString(), "--text", TEXT, "--max-tokens", "1024")
                .assertBadInputNaming(model.resolve("config.json").toString(), "hidden_act \"gelu\" is not supported");
        CliRun run = CliRun.of("run", model.toString(), "--text", TEXT, "--max-tokens", "256", "--out",
                temp.resolve("out").toString()).assertBadInputNaming("hidden_act \"gelu\" is not supported");
        assertFalse(run.err().contains("analyze ["), "refused before the analysis: " + run.err());
        assertFalse(Files.exists(temp.resolve("out")));
        assertEquals(0, CliRun.of("analyze", model.toString(), "--layers", "5", "--modules", "down").exit(),
                "analysis does not need the activation");
    }

    @Test
    void tensorsOfLayersPastTheConfigAreRefusedByEveryCommandAlike() {
        Path model = DamagedModels.withConfig(temp.resolve("shallow"), c -> c.put("num_hidden_layers", 4));
        String[] expected = {"18 tensors belong to layers past num_hidden_layers=4", "model.layers.4."};
        CliRun.of("analyze", model.toString()).assertBadInputNaming(expected);
        CliRun.of("reduce", model.toString(), "--out", temp.resolve("out").toString()).assertBadInputNaming(expected);
        CliRun.of("eval", model.toString(), "--text", TEXT).assertBadInputNaming(expected);
        assertTrue(Files.notExists(temp.resolve("out")));
    }

    @Test
    void evalOfAModelsWeightsFileScoresItsFolder() throws IOException {
        CliRun r = CliRun.of("eval", CliRun.FIXTURES.resolve("tiny-llama/model.safetensors").toString(), "--text", TEXT,
                "--max-tokens", "8192", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(REFERENCE_PERPLEXITY, new ObjectMapper().readTree(r.out()).get("perplexity").asDouble(),
                1e-6 * REFERENCE_PERPLEXITY);
        assertEquals(REFERENCE_PERPLEXITY, reference().get("perplexity").get("float32").get("laserrmt").get("ppl")
                .asDouble(), 0, "the constant is the fixture's");
    }

    @Test
    void evalOfABareSafetensorsFileAsksForAModelFolder() throws IOException {
        Path bare = Files.copy(CliRun.FIXTURES.resolve("tiny-llama/model.safetensors"),
                temp.resolve("model.safetensors"));
        CliRun.of("eval", bare.toString(), "--text", TEXT)
                .assertBadInputNaming(bare.toString(), "no config.json", "needs a Hugging Face model folder");
    }

    @Test
    void evalReadsEveryDtypeTheReadmeNames() throws IOException {
        Path f64 = DamagedModels.withDType(temp.resolve("f64"), DType.F64);
        CliRun r = CliRun.of("eval", f64.toString(), "--text", TEXT, "--max-tokens", "8192", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(REFERENCE_PERPLEXITY, new ObjectMapper().readTree(r.out()).get("perplexity").asDouble(),
                1e-6 * REFERENCE_PERPLEXITY, "F64 holds the float32 weights exactly");
        Path f16 = DamagedModels.withDType(temp.resolve("f16"), DType.F16);
        r = CliRun.of("eval", f16.toString(), "--text", TEXT, "--max-tokens", "8192", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(REFERENCE_PERPLEXITY, new ObjectMapper().readTree(r.out()).get("perplexity").asDouble(),
                1e-3 * REFERENCE_PERPLEXITY, "F16 rounds each weight by at most 2^-11 relative");
    }

    private static float[] filled(float[] values, float value) {
        Arrays.fill(values, 0, 100, value);
        return values;
    }

    private static float[] alternating(float[] values, float magnitude) {
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? magnitude : -magnitude;
        }
        return values;
    }
}
