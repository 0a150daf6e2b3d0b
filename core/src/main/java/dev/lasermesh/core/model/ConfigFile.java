package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.JsonSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Hugging Face {@code config.json}, read once, with typed field readers whose errors name the file
 * and the field. Each model family reads the fields it needs from it (its dimensions); the decoder's
 * {@link ModelConfig} reads the rest of what its forward pass needs.
 *
 * @param source the file it was read from (for messages)
 * @param root   the JSON object
 */
public record ConfigFile(Path source, JsonNode root) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code config.json}.
     *
     * @throws ModelConfigException naming the file when it is missing, unreadable, not JSON or not an object
     */
    public static ConfigFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelConfigException(file + ": config.json not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelConfigException(file + ": not valid JSON (" + JsonSyntax.problem(e) + ")");
        } catch (IOException e) {
            throw new ModelConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file + ": not a JSON object");
        }
        return new ConfigFile(file, root);
    }

    /**
     * {@code model_type}, when present as a string; a factored Lasermesh folder's own type
     * ({@code lasermesh_llama}, {@link FactoredModelType}) reads as the family's ({@code llama}).
     */
    public Optional<String> modelType() {
        JsonNode n = root.get("model_type");
        return n != null && n.isTextual() ? Optional.of(FactoredModelType.familyOf(n.asText())) : Optional.empty();
    }

    /** {@code architectures} (class names such as {@code LlamaForCausalLM}), empty when absent. */
    public List<String> architectures() {
        List<String> names = new ArrayList<>();
        root.path("architectures").forEach(n -> names.add(n.asText()));
        return List.copyOf(names);
    }

    /** Whether the field is present and not null. */
    public boolean has(String name) {
        return root.hasNonNull(name);
    }

    /** @throws ModelConfigException naming the file and the field when it is missing or not a string */
    public String string(String name) {
        JsonNode n = root.get(name);
        if (n == null || !n.isTextual()) {
            throw new ModelConfigException(source + ": field \"" + name + "\" is missing or not a string");
        }
        return n.asText();
    }

    /** @throws ModelConfigException naming the file, the field and its value when it is not a positive integer */
    public int positiveInt(String name) {
        return positiveInt(source, root, name);
    }

    /** @throws ModelConfigException naming the file, the field and its value when it is not a positive number */
    public double positiveDouble(String name) {
        return positiveDouble(source, root, name);
    }

    /** A boolean field, {@code fallback} when absent or null. */
    public boolean bool(String name, boolean fallback) {
        return root.path(name).asBoolean(fallback);
    }

    /** A positive integer field of a nested object of {@code file} (e.g. {@code rope_scaling}). */
    static int positiveInt(Path file, JsonNode object, String name) {
        JsonNode n = object.get(name);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
            throw new ModelConfigException(file + ": field \"" + name + "\" is missing or not a positive integer"
                    + (n == null ? "" : " (" + n + ")"));
        }
        return n.asInt();
    }

    /** A positive number field of a nested object of {@code file}. */
    static double positiveDouble(Path file, JsonNode object, String name) {
        JsonNode n = object.get(name);
        if (n == null || !n.isNumber() || !(n.asDouble() > 0)) {
            throw new ModelConfigException(file + ": field \"" + name + "\" is missing or not a positive number"
                    + (n == null ? "" : " (" + n + ")"));
        }
        return n.asDouble();
    }
}
