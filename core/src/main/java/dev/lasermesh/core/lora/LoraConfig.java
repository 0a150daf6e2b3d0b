package dev.lasermesh.core.lora;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.JsonSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a Hugging Face PEFT {@code adapter_config.json} that decide what a LoRA adapter adds
 * to its base model (PEFT's {@code LoraConfig}; Hu et al., "LoRA: Low-Rank Adaptation of Large
 * Language Models", ICLR 2022, eq. 3: h = W₀x + (α/r)·BAx).
 *
 * <p>Only plain LoRA on linear weights is accepted. Everything that would make the merge more than
 * W + s·B·A is rejected with the field named: another {@code peft_type} (IA3, LoHa, ...), DoRA
 * ({@code use_dora}), trained biases ({@code bias}, {@code lora_bias}), per-module ranks or alphas
 * ({@code rank_pattern}, {@code alpha_pattern}), fully trained modules ({@code modules_to_save},
 * {@code trainable_token_indices}), layer replication, a regular-expression {@code target_modules}.
 *
 * @param file              where it was read from, for messages
 * @param rank              {@code r}
 * @param alpha             {@code lora_alpha}
 * @param rsLora            {@code use_rslora}: scaling α/√r instead of α/r (Kalajdzievski, "A Rank
 *                          Stabilization Scaling Factor for Fine-Tuning with LoRA", arXiv 2312.03732)
 * @param fanInFanOut       {@code fan_in_fan_out}: the base weight is stored [in, out] (GPT-2's
 *                          {@code Conv1D}), so ΔW is transposed before it is added
 * @param targetModules     {@code target_modules}: module names or name suffixes PEFT adapted
 * @param layersToTransform {@code layers_to_transform}: the only layers adapted; empty when all are
 */
public record LoraConfig(Path file, int rank, double alpha, boolean rsLora, boolean fanInFanOut,
                         List<String> targetModules, Optional<List<Integer>> layersToTransform) {

    /** The config file's name in an adapter folder. */
    public static final String FILE_NAME = "adapter_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public LoraConfig {
        targetModules = List.copyOf(targetModules);
        layersToTransform = layersToTransform.map(List::copyOf);
    }

    /**
     * The scaling s of ΔW = s·B·A: {@code lora_alpha / r}, or {@code lora_alpha / √r} with rsLoRA
     * (PEFT {@code LoraLayer.update_layer}).
     */
    public double scaling() {
        return rsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /**
     * Reads and validates {@code adapter_config.json}.
     *
     * @throws InvalidInputException naming the file and the field when the file is missing or malformed,
     *                               or the adapter is not a plain LoRA adapter
     */
    public static LoraConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": " + FILE_NAME + " not found (an adapter folder holds "
                    + FILE_NAME + " and " + LoraAdapter.WEIGHTS_FILE + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new InvalidInputException(file + ": not valid JSON (" + JsonSyntax.problem(e) + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file + ": not a JSON object");
        }
        return parse(file, root);
    }

    static LoraConfig parse(Path file, JsonNode root) {
        JsonNode peftType = root.path("peft_type");
        if (!"LORA".equals(peftType.asText(""))) {
            throw invalid(file, "peft_type", (peftType.isMissingNode() ? "is missing" : "is " + describe(peftType))
                    + "; only LORA adapters are supported");
        }
        if (root.path("use_dora").asBoolean(false)) {
            throw invalid(file, "use_dora", "is true: DoRA adapters (magnitude vectors) are not supported, only plain LoRA");
        }
        String bias = root.path("bias").asText("none");
        if (!"none".equals(bias) || root.path("lora_bias").asBoolean(false)) {
            throw invalid(file, "none".equals(bias) ? "lora_bias" : "bias",
                    "asks for trained biases; only bias \"none\" is supported");
        }
        rejectNonEmpty(file, root, "rank_pattern", "per-module ranks are not supported");
        rejectNonEmpty(file, root, "alpha_pattern", "per-module alphas are not supported");
        rejectNonEmpty(file, root, "modules_to_save", "fully trained modules are not supported");
        rejectNonEmpty(file, root, "trainable_token_indices", "trained token embeddings are not supported");
        rejectNonEmpty(file, root, "layer_replication", "layer replication is not supported");
        JsonNode pattern = root.path("layers_pattern");
        if (!pattern.isMissingNode() && !pattern.isNull() && !"layers".equals(pattern.asText())
                && !(pattern.isArray() && pattern.size() == 1 && "layers".equals(pattern.get(0).asText()))) {
            throw invalid(file, "layers_pattern", "is " + describe(pattern) + "; only the decoder's \"layers\" is supported");
        }
        return new LoraConfig(file, positiveInt(file, root, "r"), positiveNumber(file, root, "lora_alpha"),
                root.path("use_rslora").asBoolean(false), root.path("fan_in_fan_out").asBoolean(false),
                targetModules(file, root), layersToTransform(file, root));
    }

    private static List<String> targetModules(Path file, JsonNode root) {
        JsonNode node = root.path("target_modules");
        if (node.isTextual()) {
            throw invalid(file, "target_modules", "is a regular expression; only a list of module names is supported");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(file, "target_modules", "must be a non-empty list of module names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw invalid(file, "target_modules", "has an item that is not a module name: " + describe(item));
            }
            names.add(item.asText());
        }
        return names;
    }

    private static Optional<List<Integer>> layersToTransform(Path file, JsonNode root) {
        JsonNode node = root.path("layers_to_transform");
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isInt() && node.asInt() >= 0) {
            return Optional.of(List.of(node.asInt()));
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(file, "layers_to_transform", "must be null, a layer number or a list of layer numbers");
        }
        List<Integer> layers = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isInt() || item.asInt() < 0) {
                throw invalid(file, "layers_to_transform", "has an item that is not a layer number: " + describe(item));
            }
            layers.add(item.asInt());
        }
        return Optional.of(layers);
    }

    private static void rejectNonEmpty(Path file, JsonNode root, String field, String why) {
        JsonNode node = root.path(field);
        boolean empty = node.isMissingNode() || node.isNull() || ((node.isObject() || node.isArray()) && node.isEmpty());
        if (!empty) {
            throw invalid(file, field, "is set: " + why);
        }
    }

    private static int positiveInt(Path file, JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (!node.isInt() || node.asInt() < 1) {
            throw invalid(file, field, node.isMissingNode() ? "is missing" : "must be a positive integer, got " + describe(node));
        }
        return node.asInt();
    }

    private static double positiveNumber(Path file, JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (!node.isNumber() || !(node.asDouble() > 0) || Double.isInfinite(node.asDouble())) {
            throw invalid(file, field, node.isMissingNode() ? "is missing" : "must be a positive number, got " + describe(node));
        }
        return node.asDouble();
    }

    /** A short description of a value for a message: scalars as written (cut to 40 characters), others by kind. */
    private static String describe(JsonNode node) {
        if (!node.isValueNode()) {
            return "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
        String text = node.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static InvalidInputException invalid(Path file, String field, String problem) {
        return new InvalidInputException(file + ": field \"" + field + "\" " + problem);
    }
}
