package dev.lasermesh.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.gateway.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The submit form's lists of models and texts, from the fixtures as roots. */
class InputCatalogTest {

    @Test
    void listsModelFoldersAndTextFilesRelativeToTheirRoots() {
        Path fixtures = Fixtures.path(".");
        InputCatalog catalog = InputCatalog.scan(List.of(fixtures, fixtures.resolve("no-such-root")),
                List.of(Fixtures.path("text")));
        assertTrue(catalog.models().containsAll(List.of("stories260K", "tiny-llama", "tiny-llama/model-bf16")),
                catalog.models().toString());
        assertTrue(catalog.models().stream().noneMatch(m -> m.startsWith("spectra") || m.startsWith("text")),
                "only folders with a config.json: " + catalog.models());
        assertEquals(List.of("moby-dick.txt", "sotu-2009-2021.txt"), catalog.texts());
    }
}
