package dev.lasermesh.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.gateway.Fixtures;
import dev.lasermesh.gateway.config.InputRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The submit form's lists of models and texts, from the fixtures as roots. */
class InputCatalogTest {

    private static InputCatalog scan(List<Path> models, List<Path> texts) {
        InputRoots roots = new InputRoots(new PathRoots("model", models), new PathRoots("data", texts));
        return InputCatalog.scan(roots, new JobSpecValidator(roots.models(), roots.data()));
    }

    @Test
    void listsModelFoldersAndTextFilesRelativeToTheirRoots() {
        Path fixtures = Fixtures.path(".");
        InputCatalog catalog = scan(List.of(fixtures), List.of(Fixtures.path("text")));
        assertTrue(catalog.models().containsAll(List.of("stories260K", "tiny-llama", "tiny-llama/model-bf16")),
                catalog.models().toString());
        assertTrue(catalog.models().stream().noneMatch(m -> m.startsWith("spectra") || m.startsWith("text")),
                "only folders with a config.json: " + catalog.models());
        assertEquals(List.of("moby-dick.txt", "sotu-2009-2021.txt"), catalog.texts());
    }

    /** Only what a job spec may name is offered: no link out of the roots, no model whose files link out. */
    @Test
    void offersNothingTheValidatorRefuses(@TempDir Path models, @TempDir Path data) throws IOException {
        Path tiny = Fixtures.path("tiny-llama");
        Path copy = Files.createDirectory(models.resolve("copy"));
        Path linked = Files.createDirectory(models.resolve("linked-weights"));
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.copy(tiny.resolve(file), copy.resolve(file));
            if (file.equals("model.safetensors")) {
                Files.createSymbolicLink(linked.resolve(file), tiny.resolve(file));
            } else {
                Files.copy(tiny.resolve(file), linked.resolve(file));
            }
        }
        Files.createSymbolicLink(models.resolve("escape"), tiny);
        Files.copy(Fixtures.path("text/moby-dick.txt"), data.resolve("moby.txt"));
        Files.createSymbolicLink(data.resolve("leak.txt"), Fixtures.path("text/sotu-2009-2021.txt"));
        InputCatalog catalog = scan(List.of(models), List.of(data));
        assertEquals(List.of("copy"), catalog.models());
        assertEquals(List.of("moby.txt"), catalog.texts());
    }
}
