package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lasermesh eval} of a BF16 model whose widened weights do not fit the heap: a SmolLM2-135M-shaped
 * model (30 layers, hidden 576, vocab 49152; 270 MB in BF16, 540 MB widened to float32) evaluated by the
 * packaged CLI in a JVM started with -Xmx512m. Today's path (every matrix widened at load, forced here
 * with a budget larger than the model) runs out of heap; the default budget (half the heap) keeps the
 * weights in the mapped file and scores the same perplexity, bit for bit, as the widened path in a JVM
 * with room for it. The model uses the tiny-llama fixture's tokenizer (its ids are all below 49152).
 */
class BoundedHeapEvalIT {

    private static final String SMALL_HEAP = "-Xmx512m";

    @TempDir
    static Path dir;

    private static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        SyntheticModel shape = SyntheticModel.smolLm2_135M(DType.BF16, 11);
        assertTrue(shape.parameterCount() * Float.BYTES > 512L << 20, "widened, the model is larger than the small heap");
        model = shape.write(Files.createDirectories(dir.resolve("smollm2-135m-bf16")), Long.MAX_VALUE);
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(CliRun.FIXTURES.resolve("tiny-llama").resolve(file), model.resolve(file));
        }
    }

    @Test
    void evaluatesUnderAHeapTheWidenedModelDoesNotFit() throws Exception {
        Run widenedInSmallHeap = eval("widened-small", SMALL_HEAP, "--memory-budget", "64g");
        assertNotEquals(0, widenedInSmallHeap.exit, "today's path cannot fit: " + widenedInSmallHeap.err);
        assertTrue(widenedInSmallHeap.outOfMemory, widenedInSmallHeap.err);

        Run mappedInSmallHeap = eval("mapped-small", SMALL_HEAP);
        assertEquals(0, mappedInSmallHeap.exit, mappedInSmallHeap.err);

        Run widenedInLargeHeap = eval("widened-large", "-Xmx2g", "--memory-budget", "64g");
        assertEquals(0, widenedInLargeHeap.exit, widenedInLargeHeap.err);

        double expected = widenedInLargeHeap.json.get("perplexity").asDouble();
        assertTrue(Double.isFinite(expected) && expected > 1, widenedInLargeHeap.json.toString());
        assertEquals(Double.doubleToLongBits(expected),
                Double.doubleToLongBits(mappedInSmallHeap.json.get("perplexity").asDouble()),
                "the same perplexity bit for bit: " + mappedInSmallHeap.json + " vs " + widenedInLargeHeap.json);
        assertEquals(widenedInLargeHeap.json.get("tokens"), mappedInSmallHeap.json.get("tokens"));
    }

    /** The exit code, the end of stderr, whether stderr reports an OutOfMemoryError anywhere, the JSON result. */
    private record Run(int exit, String err, boolean outOfMemory, JsonNode json) {
    }

    private static Run eval(String label, String heap, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("eval", model.toString(), "--text",
                CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt").toString(), "--max-tokens", "256", "--threads", "1",
                "--format", "json"));
        args.addAll(List.of(options));
        Path out = dir.resolve(label + ".json");
        Path err = dir.resolve(label + ".err");
        int exit = PackagedCli.command(List.of(heap), args.toArray(String[]::new))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor();
        String log = PackagedCli.tail(err, 20);
        boolean outOfMemory = Files.readString(err).contains("OutOfMemoryError");
        return new Run(exit, log, outOfMemory, exit == 0 ? new ObjectMapper().readTree(out.toFile()) : null);
    }
}
