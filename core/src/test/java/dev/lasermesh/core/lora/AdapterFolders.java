package dev.lasermesh.core.lora;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Adapter folders for bad-input tests: the tiny-llama-lora fixture with an edited config or a subset of its tensors. */
final class AdapterFolders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterFolders() {
    }

    /** A copy of the fixture adapter whose config is edited by {@code edit} and whose tensors are those {@code keep} accepts. */
    static Path edited(Path folder, Consumer<ObjectNode> edit, Predicate<String> keep) {
        Path fixture = Fixtures.path("tiny-llama-lora");
        try {
            Files.createDirectories(folder);
            ObjectNode config = (ObjectNode) JSON.readTree(fixture.resolve(LoraConfig.FILE_NAME).toFile());
            edit.accept(config);
            JSON.writeValue(folder.resolve(LoraConfig.FILE_NAME).toFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (SafetensorsFile source = SafetensorsFile.open(fixture.resolve(LoraAdapter.WEIGHTS_FILE))) {
            SafetensorsWriter writer = new SafetensorsWriter(folder.resolve(LoraAdapter.WEIGHTS_FILE));
            for (TensorInfo t : source.tensors()) {
                if (keep.test(t.name())) {
                    writer.copy(source, t.name());
                }
            }
            writer.write();
        }
        return folder;
    }

    /** A copy with an edited config and all tensors. */
    static Path withConfig(Path folder, Consumer<ObjectNode> edit) {
        return edited(folder, edit, name -> true);
    }
}
