package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.reduce.ReducedModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code reduce} and {@code run} write: never over or inside an input, never into a file, all or
 * nothing, and a folder an interrupted run left behind is taken up again.
 */
class OutputFolderCliTest {

    private static final Path TINY_LLAMA = CliRun.FIXTURES.resolve("tiny-llama");
    private static final String TEXT = CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt").toString();

    @TempDir
    Path temp;

    private static CliRun reduce(Path model, Path out) {
        return CliRun.of("reduce", model.toString(), "--out", out.toString(), "--layers", "5", "--modules", "down");
    }

    @Test
    void anOutputFolderHoldingTheInputIsRefusedAndTheInputStaysAsItWas() throws IOException {
        Path first = temp.resolve("out1");
        assertEquals(0, reduce(TINY_LLAMA, first).exit());
        byte[] weights = Files.readAllBytes(first.resolve("model.safetensors"));
        byte[] report = Files.readAllBytes(first.resolve(ReducedModelWriter.REPORT_FILE));

        reduce(first.resolve("model.safetensors"), first)
                .assertBadInputNaming(first.toString(), "contains the input");
        reduce(first, first).assertBadInputNaming("is the input");
        reduce(first, first.resolve("again")).assertBadInputNaming("is inside the input");
        Path text = Files.copy(Path.of(TEXT), first.resolve("notes.txt"));
        CliRun.of("run", TINY_LLAMA.toString(), "--text", text.toString(), "--out", first.toString())
                .assertBadInputNaming("contains the input " + text);

        assertArrayEquals(weights, Files.readAllBytes(first.resolve("model.safetensors")));
        assertArrayEquals(report, Files.readAllBytes(first.resolve(ReducedModelWriter.REPORT_FILE)));
        assertFalse(Files.exists(first.resolve("again")));
    }

    @Test
    void theInputIsRecognisedThroughASymbolicLink() throws IOException {
        Path first = temp.resolve("out1");
        assertEquals(0, reduce(TINY_LLAMA, first).exit());
        Path link = Files.createSymbolicLink(temp.resolve("link"), first);
        reduce(first.resolve("model.safetensors"), link).assertBadInputNaming("contains the input");
    }

    @Test
    void anOutputThatIsAFileOrBelowOneIsBadInput() throws IOException {
        Path file = Files.writeString(temp.resolve("afile"), "not a folder");
        reduce(TINY_LLAMA, file).assertBadInputNaming(file.toString(), "exists and is not a folder");
        reduce(TINY_LLAMA, file.resolve("sub")).assertBadInputNaming(file.resolve("sub").toString(),
                file + " is a file");
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void aModelWithNaNWeightsWritesNothing() {
        Path model = DamagedModels.withTensors(temp.resolve("nan"), Map.of("model.layers.5.mlp.down_proj.weight",
                values -> {
                    values[7] = Float.NaN;
                    return values;
                }));
        Path out = temp.resolve("out");
        CliRun r = reduce(model, out).assertBadInputNaming("1 of 1 selected matrices could not be analysed",
                "nothing was written to " + out);
        assertTrue(r.err().contains("NaN"), r.err());
        assertFalse(r.out().contains("wrote"), r.out());
        assertFalse(Files.exists(out), "no output folder is left behind");
    }

    @Test
    void aFolderAnInterruptedRunLeftBehindIsTakenUpAgain() throws IOException {
        Path staged = temp.resolve("staged");
        Files.createDirectories(staged.resolve(".lasermesh-partial"));
        Files.writeString(staged.resolve(".lasermesh-partial/.model.safetensors4417734.tmp"), "half");
        Path earlier = Files.createDirectories(temp.resolve("earlier"));
        Files.writeString(earlier.resolve(".model.safetensors8138461.tmp"), "half");
        for (Path out : new Path[] {staged, earlier}) {
            CliRun r = reduce(TINY_LLAMA, out);
            assertEquals(0, r.exit(), r.err());
            try (var entries = Files.list(out)) {
                assertEquals(
                        Set.of("model.safetensors", "config.json", "generation_config.json", "README.md",
                                "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "reference.json",
                                "search-reference.json", ReducedModelWriter.REPORT_FILE),
                        new HashSet<>(entries.map(p -> p.getFileName().toString()).toList()),
                        "the output, and nothing of the interrupted run");
            }
        }
    }

    @Test
    void aFolderOfSomeoneElseIsStillRefused() throws IOException {
        Path theirs = Files.createDirectories(temp.resolve("theirs"));
        Files.writeString(theirs.resolve("thesis.tex"), "mine");
        reduce(TINY_LLAMA, theirs).assertBadInputNaming("is not empty and is not an earlier Lasermesh output");
        assertEquals("mine", Files.readString(theirs.resolve("thesis.tex")));
    }
}
