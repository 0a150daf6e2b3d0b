package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reduce --method whitened|feature --calibration FILE}: the report's method section gives, per
 * matrix, the activation error next to the weight error, within 1e-5 of corpus/reference.json at the
 * budget 0.4; and the refusal of a calibrated method without calibration.
 */
class ReduceMethodCliTest {

    private static final Path TINY = CliRun.FIXTURES.resolve("tiny-llama");

    @Test
    void whitenedAndFeatureReportActivationErrorsLikeTheReference(@TempDir Path dir) throws IOException {
        JsonNode ref = new ObjectMapper().readTree(CliRun.FIXTURES.resolve("corpus/reference.json").toFile());
        for (Map.Entry<String, String> method : Map.of("whitened", "B", "feature", "C").entrySet()) {
            Path out = dir.resolve(method.getKey());
            CliRun run = CliRun.of("reduce", TINY.toString(), "--out", out.toString(), "--policy", "params",
                    "--params-ratio", "0.4", "--method", method.getKey(), "--calibration",
                    CliRun.FIXTURES.resolve("text/moby-dick.txt").toString(), "--factored", "--format", "json");
            assertEquals(0, run.exit(), run.err());
            JsonNode report = new ObjectMapper().readTree(out.resolve("lasermesh-report.json").toFile());
            JsonNode section = report.get("method");
            assertEquals(method.getKey(), section.get("name").asText());
            assertTrue(section.get("spectrum").asText().length() > 10);
            assertEquals(42, section.get("matrices").size());
            for (Iterator<Map.Entry<String, JsonNode>> it = section.get("matrices").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                JsonNode expected = ref.at("/matrices/" + m.getKey() + "/calibrations/moby-dick/methods/"
                        + method.getValue() + "/budget_0.4");
                assertEquals(expected.get("k").asInt(), m.getValue().get("rank").asInt(), m.getKey());
                double act = m.getValue().get("activation_error").asDouble();
                assertEquals(expected.get("act_rel_err").asDouble(), act, 1e-5 * expected.get("act_rel_err").asDouble(),
                        m.getKey());
                assertTrue(m.getValue().get("relative_weight_error").asDouble() > 0);
            }
            assertTrue(Files.exists(out.resolve("lasermesh-ranks.json")));
        }
    }

    @Test
    void aCalibratedMethodWithoutCalibrationIsRefused(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliRun.of("reduce", TINY.toString(), "--out", out.toString(), "--method", "whitened")
                .assertBadInputNaming("--method whitened", "--calibration");
        CliRun.of("reduce", TINY.toString(), "--out", out.toString(), "--method", "qr")
                .assertBadInputNaming("unknown method");
        assertFalse(Files.exists(out.resolve("lasermesh-report.json")));
    }

    @Test
    void aCalibrationTextShorterThanOneWindowIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path shortText = dir.resolve("short.txt");
        Files.writeString(shortText, "Call me Ishmael.");
        Path out = dir.resolve("out");
        CliRun.of("reduce", TINY.toString(), "--out", out.toString(), "--method", "whitened", "--calibration",
                shortText.toString()).assertBadInputNaming("short.txt", "too few");
        assertFalse(Files.exists(out.resolve("lasermesh-report.json")));
    }
}
