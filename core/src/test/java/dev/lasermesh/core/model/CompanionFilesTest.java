package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reduced model folder takes over from its input besides the tensors. */
class CompanionFilesTest {

    @TempDir
    Path dir;

    @Test
    void companionFilesAreCopiedButNotTensorFiles() {
        Path out = dir.resolve("companions");
        CompanionFiles.copy(Fixtures.path("tiny-llama"), out);
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        assertFalse(Files.exists(out.resolve("model.safetensors")));
    }

    @Test
    void theModuleFoldersOfModulesJsonAreCopiedWholeAndNoOtherFolder() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
                 {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]
                """);
        Files.writeString(Files.createDirectories(in.resolve("1_Pooling")).resolve("config.json"), "{}");
        Files.write(Files.createDirectories(in.resolve("2_Dense/sub")).resolve("model.safetensors"), new byte[] {1, 2});
        Files.writeString(Files.createDirectories(in.resolve("original")).resolve("consolidated.pth"), "big");
        Path out = dir.resolve("out");
        CompanionFiles.copy(in, out);
        assertEquals("{}", Files.readString(out.resolve("1_Pooling/config.json")));
        assertEquals(2, Files.readAllBytes(out.resolve("2_Dense/sub/model.safetensors")).length,
                "a module's own weights belong to it");
        assertFalse(Files.exists(out.resolve("3_Normalize")));
        assertFalse(Files.exists(out.resolve("original")));
    }

    @Test
    void aModulePathOutsideTheFolderOrMalformedModulesJsonIsRefused() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("modules.json"), "[{\"path\": \"../elsewhere\"}]");
        InvalidInputException outside = assertThrows(InvalidInputException.class,
                () -> CompanionFiles.copy(in, dir.resolve("out")));
        assertTrue(outside.getMessage().contains("modules.json") && outside.getMessage().contains("leaves the model folder"),
                outside.getMessage());
        Files.writeString(in.resolve("modules.json"), "{\"path\": \"1_Pooling\"}");
        assertTrue(assertThrows(InvalidInputException.class, () -> CompanionFiles.copy(in, dir.resolve("out")))
                .getMessage().contains("not a JSON array"));
    }
}
