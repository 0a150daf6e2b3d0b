package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder's checks against the inputs, and its all-or-nothing write. */
class OutputFolderTest {

    @TempDir
    Path dir;

    private String refused(Path folder, Path... inputs) {
        return assertThrows(InvalidInputException.class, () -> OutputFolder.claim(folder, List.of(inputs)))
                .getMessage();
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void aFolderOverlappingAnInputIsRefusedByRealPath() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Path weights = Files.writeString(model.resolve("model.safetensors"), "w");
        assertTrue(refused(model, weights).contains("contains the input " + weights));
        assertTrue(refused(model, model).contains("is the input"));
        assertTrue(refused(model.resolve("reduced"), model).contains("is inside the input"));
        assertTrue(refused(dir.resolve("model/../model/x/.."), model).contains("is the input"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), model);
        assertTrue(refused(link, weights).contains("contains the input"));
        assertTrue(refused(dir, weights).contains("contains the input"));
        OutputFolder.claim(dir.resolve("elsewhere"), List.of(model, dir.resolve("missing-text")));
    }

    @Test
    void aFileOrAFolderBelowOneIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertTrue(refused(file).startsWith(file + ": exists and is not a folder"));
        assertTrue(refused(file.resolve("a/b")).startsWith(file.resolve("a/b") + ": cannot be a folder, as " + file
                + " is a file"));
    }

    @Test
    void onlyEmptyFoldersEarlierOutputsAndOurLeftoversAreAccepted() throws IOException {
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.writeString(theirs.resolve("notes.txt"), "mine");
        assertTrue(refused(theirs).contains("is not empty and is not an earlier Lasermesh output"));
        Path hidden = Files.createDirectories(dir.resolve("hidden"));
        Files.writeString(hidden.resolve(".model.safetensors.tmp"), "no digits: not a name of ours");
        assertTrue(refused(hidden).contains("is not empty"));

        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(earlier.resolve(ReducedModelWriter.REPORT_FILE), "{}");
        Files.writeString(earlier.resolve("notes.txt"), "kept");
        Path killed = Files.createDirectories(dir.resolve("killed"));
        Files.writeString(killed.resolve(".model.safetensors123456.tmp"), "half");
        Path staged = Files.createDirectories(dir.resolve("staged/" + OutputFolder.STAGING));
        Files.writeString(staged.resolve("model.safetensors"), "half");
        Files.writeString(staged.resolveSibling("model.safetensors"), "moved before the kill");
        for (Path ok : List.of(Files.createDirectories(dir.resolve("empty")), earlier, killed, staged.getParent())) {
            Path staging = OutputFolder.claim(ok, List.of()).stage();
            assertEquals(Set.of(), names(staging), ok + ": an empty staging folder");
        }
        assertEquals(Set.of(OutputFolder.STAGING), names(killed), "the leftover temporary file is cleared");
        assertEquals(Set.of(OutputFolder.STAGING, ReducedModelWriter.REPORT_FILE, "notes.txt"), names(earlier));
    }

    @Test
    void commitMovesEverythingInPlaceAndAbandonLeavesWhatWasThere() throws IOException {
        Path out = dir.resolve("out");
        OutputFolder folder = OutputFolder.claim(out, List.of());
        Path staging = folder.stage();
        Files.writeString(staging.resolve(ReducedModelWriter.REPORT_FILE), "{}");
        Files.writeString(staging.resolve("model.safetensors"), "w");
        folder.commit(ReducedModelWriter.REPORT_FILE);
        assertEquals(Set.of("model.safetensors", ReducedModelWriter.REPORT_FILE), names(out));

        OutputFolder again = OutputFolder.claim(out, List.of());
        Files.writeString(again.stage().resolve("model.safetensors"), "new, unfinished");
        again.abandon();
        assertEquals("w", Files.readString(out.resolve("model.safetensors")), "an earlier output stays as it was");
        assertEquals(Set.of("model.safetensors", ReducedModelWriter.REPORT_FILE), names(out));

        Path fresh = dir.resolve("fresh");
        OutputFolder created = OutputFolder.claim(fresh, List.of());
        Files.writeString(created.stage().resolve("model.safetensors"), "unfinished");
        created.abandon();
        assertFalse(Files.exists(fresh), "a folder the failed write created is removed");
    }
}
