package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study methods} on tiny-llama against the budget × method × calibration tables of
 * corpus/reference.json (float32 forward, eval range sotu[0:8192]): every perplexity within 1e-4 relative
 * (the README expects ~1e-6 from X taken in float32); and its refusals.
 */
class StudyMethodsCliTest {

    private static final Path TINY = CliRun.FIXTURES.resolve("tiny-llama");
    private static final Map<String, String> METHOD_KEYS = Map.of("svd", "A", "whitened", "B", "feature", "C");

    @Test
    void perplexitiesMatchTheReferenceTables() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(CliRun.FIXTURES.resolve("corpus/reference.json").toFile());
        for (String[] calibration : new String[][] {{"moby-dick", "text/moby-dick.txt"},
                {"sotu", "text/sotu-2009-2021.txt"}}) {
            CliRun run = CliRun.of("study", "methods", TINY.toString(), "--text",
                    CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt").toString(), "--max-tokens", "8192",
                    "--calibration", CliRun.FIXTURES.resolve(calibration[1]).toString(), "--calibration-tokens", "2048",
                    "--budgets", "0.8,0.6,0.4", "--threads", "2", "--format", "json");
            assertEquals(0, run.exit(), run.err());
            JsonNode result = new ObjectMapper().readTree(run.out()).get("result");
            JsonNode table = ref.at("/perplexity/calibration=" + calibration[0] + "/sotu[0:8192]/float32");
            assertClose(table.get("base").asDouble(), result.get("base_perplexity").asDouble(), "base");
            assertEquals(9, result.get("rows").size());
            for (JsonNode row : result.get("rows")) {
                String key = METHOD_KEYS.get(row.get("method").asText());
                String budget = String.valueOf(row.get("budget").asDouble());
                assertClose(table.at("/" + key + "/" + budget).asDouble(), row.get("perplexity").asDouble(),
                        calibration[0] + " " + row.get("method").asText() + " r=" + budget);
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= 1e-4 * expected, what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void refusesACalibrationShorterThanOneWindowAndAMissingCalibration(@TempDir Path dir) throws IOException {
        Path shortText = dir.resolve("short.txt");
        Files.writeString(shortText, "Call me Ishmael.");
        String sotu = CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt").toString();
        CliRun.of("study", "methods", TINY.toString(), "--text", sotu, "--max-tokens", "256",
                "--calibration", shortText.toString()).assertBadInputNaming("short.txt", "too few");
        CliRun.of("study", "methods", TINY.toString(), "--text", sotu)
                .assertBadInputNaming("--calibration");
    }
}
