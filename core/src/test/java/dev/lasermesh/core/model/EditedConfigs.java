package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A fixture model's config.json with one change, written to a test folder, to test config checks. */
final class EditedConfigs {

    private EditedConfigs() {
    }

    /** Writes {@code dir/config.json}: the config of fixture {@code model} after {@code edit}. */
    static Path write(String model, Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Fixtures.path(model + "/config.json").toFile());
        edit.accept(root);
        Path file = dir.resolve("config.json");
        json.writeValue(file.toFile(), root);
        return file;
    }
}
