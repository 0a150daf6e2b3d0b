package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lasermesh analyze} of a model three times larger than the heap: a generated 3 GB BF16 model
 * (TinyLlama-1.1B widths, 32 layers) analysed by the packaged CLI in a JVM started with -Xmx1g.
 * Matrices are memory-mapped and analysed one at a time, so the heap holds one matrix, not the model.
 * The bound is the heap (an OutOfMemoryError fails the run); how long it takes depends on the machine
 * and its load, so it is not asserted.
 */
class AnalyzeLargeModelIT {

    private static final SyntheticModel MODEL = new SyntheticModel(32000, 2048, 5632, 32, 32, 4, false, DType.BF16, 7);

    @TempDir
    Path dir;

    @Test
    void analysesAThreeGigabyteModelWithAOneGigabyteHeap() throws Exception {
        assertTrue(MODEL.dataBytes() > 3_000_000_000L, "the model is three times the child heap");
        Path folder = MODEL.write(dir.resolve("model"), Long.MAX_VALUE);
        Path out = dir.resolve("analysis.json");
        Process child = PackagedCli.command(List.of("-Xmx1g"), "analyze", folder.toString(), "--layers", "0,31",
                        "--format", "json")
                .redirectOutput(out.toFile()).redirectError(dir.resolve("err.log").toFile()).start();
        int exit = child.waitFor();
        String err = Files.readString(dir.resolve("err.log"));
        assertEquals(0, exit, "analyze within a 1 GB heap: " + err);
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertEquals(14, doc.get("matrices").size());
        for (JsonNode m : doc.get("matrices")) {
            assertEquals("BF16", m.get("dtype").asText());
            int maxRank = Math.min(m.get("shape").get(0).asInt(), m.get("shape").get(1).asInt());
            assertTrue(m.get("rank").asInt() > 0 && m.get("rank").asInt() <= maxRank, m.toString());
            assertTrue(m.get("condition_number").asDouble() > 1, m.toString());
        }
    }
}
