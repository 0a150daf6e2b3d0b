package dev.lasermesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.model.CompanionFiles;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.ModelWriter;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorReplacement;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Copies of the tiny-llama fixture with something broken, written into a test folder by the project's
 * own writer: its config.json edited, some tensors' values changed, every other file as in the fixture.
 */
final class DamagedModels {

    private static final Path TINY_LLAMA = CliRun.FIXTURES.resolve("tiny-llama");

    private DamagedModels() {
    }

    /** tiny-llama in {@code folder} with {@code config} applied to its config.json. */
    static Path withConfig(Path folder, Consumer<ObjectNode> config) {
        return of(folder, config, Map.of());
    }

    /** tiny-llama in {@code folder} with each named tensor's float32 values passed through its edit. */
    static Path withTensors(Path folder, Map<String, UnaryOperator<float[]>> tensors) {
        return of(folder, c -> { }, tensors);
    }

    /** tiny-llama in {@code folder} with every tensor stored as {@code dtype} (rounded to nearest even). */
    static Path withDType(Path folder, DType dtype) {
        CompanionFiles.copy(TINY_LLAMA, folder);
        try (TensorSource source = TensorSources.open(TINY_LLAMA)) {
            Map<String, TensorReplacement> replacements = new LinkedHashMap<>();
            for (TensorInfo t : source.tensors()) {
                replacements.put(t.name(), new TensorReplacement(dtype, t.shape(),
                        TensorValues.of(source.readFloats(t.name()))));
            }
            ModelWriter.write(source, folder, replacements);
        }
        return folder;
    }

    private static Path of(Path folder, Consumer<ObjectNode> config, Map<String, UnaryOperator<float[]>> tensors) {
        try {
            CompanionFiles.copy(TINY_LLAMA, folder);
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(TINY_LLAMA.resolve("config.json").toFile());
            config.accept(root);
            json.writeValue(folder.resolve("config.json").toFile(), root);
            try (TensorSource source = TensorSources.open(TINY_LLAMA)) {
                Map<String, TensorReplacement> replacements = new LinkedHashMap<>();
                tensors.forEach((name, edit) -> replacements.put(name, TensorReplacement.like(source.info(name),
                        TensorValues.of(edit.apply(source.readFloats(name))))));
                ModelWriter.write(source, folder, replacements);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
