package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a Hugging Face {@code config.json} that Lasermesh needs for Llama-family decoders
 * (Llama, Mistral, Qwen2). Field names and defaults follow transformers' {@code LlamaConfig}.
 *
 * @param source               the file it was read from (for messages)
 * @param modelType            {@code model_type}, e.g. {@code llama}, {@code mistral}, {@code qwen2}; a factored
 *                             Lasermesh folder's {@code lasermesh_llama} reads as its family ({@link FactoredModelType})
 * @param architectures        {@code architectures}, e.g. {@code LlamaForCausalLM}
 * @param vocabSize            {@code vocab_size}
 * @param hiddenSize           {@code hidden_size}
 * @param intermediateSize     {@code intermediate_size}
 * @param numHiddenLayers      {@code num_hidden_layers}
 * @param numAttentionHeads    {@code num_attention_heads}
 * @param numKeyValueHeads     {@code num_key_value_heads} (defaults to the attention heads)
 * @param headDim              {@code head_dim} (defaults to hidden / heads)
 * @param ropeTheta            {@code rope_theta} (default 10000)
 * @param ropeScaling          {@code rope_scaling}, empty when absent or null
 * @param rmsNormEps           {@code rms_norm_eps} (default 1e-6)
 * @param tieWordEmbeddings    {@code tie_word_embeddings} (default false)
 * @param attentionBias        q/k/v biases present ({@code attention_bias}; true for Qwen2)
 * @param bosTokenId           {@code bos_token_id}, empty when absent
 * @param eosTokenId           {@code eos_token_id}, empty when absent (first one when a list)
 * @param torchDtype           {@code torch_dtype} (or {@code dtype}), empty when absent
 */
public record ModelConfig(
        Path source,
        String modelType,
        List<String> architectures,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double ropeTheta,
        Optional<RopeScaling> ropeScaling,
        double rmsNormEps,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        Optional<Integer> bosTokenId,
        Optional<Integer> eosTokenId,
        Optional<String> torchDtype) {

    /**
     * {@code rope_scaling} of type {@code llama3} (Llama 3.1): frequencies are rescaled by wavelength
     * as in transformers' {@code _compute_llama3_parameters}.
     */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and validates {@code config.json}. */
    public static ModelConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelConfigException(file + ": config.json not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelConfigException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ModelConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file + ": not a JSON object");
        }
        return parse(file, root);
    }

    static ModelConfig parse(Path file, JsonNode root) {
        Fields f = new Fields(file, root);
        String modelType = FactoredModelType.familyOf(f.string("model_type"));
        List<String> architectures = new ArrayList<>();
        root.path("architectures").forEach(n -> architectures.add(n.asText()));
        int hidden = f.positiveInt("hidden_size");
        int heads = f.positiveInt("num_attention_heads");
        int kvHeads = root.hasNonNull("num_key_value_heads") ? f.positiveInt("num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new ModelConfigException(file + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim;
        if (root.hasNonNull("head_dim")) {
            headDim = f.positiveInt("head_dim");
        } else if (hidden % heads == 0) {
            headDim = hidden / heads;
        } else {
            throw new ModelConfigException(file + ": hidden_size " + hidden
                    + " is not divisible by num_attention_heads " + heads + " and head_dim is missing");
        }
        if (headDim % 2 != 0) {
            throw new ModelConfigException(file + ": head_dim " + headDim + " must be even for RoPE");
        }
        boolean qwen2 = "qwen2".equals(modelType);
        return new ModelConfig(
                file,
                modelType,
                List.copyOf(architectures),
                f.positiveInt("vocab_size"),
                hidden,
                f.positiveInt("intermediate_size"),
                f.positiveInt("num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                root.hasNonNull("rope_theta") ? f.positiveDouble("rope_theta") : 10000.0,
                ropeScaling(file, root.path("rope_scaling")),
                root.hasNonNull("rms_norm_eps") ? f.positiveDouble("rms_norm_eps") : 1e-6,
                root.path("tie_word_embeddings").asBoolean(false),
                root.path("attention_bias").asBoolean(qwen2),
                optionalInt(root.path("bos_token_id")),
                optionalInt(root.path("eos_token_id")),
                torchDtype(root));
    }

    private static Optional<RopeScaling> ropeScaling(Path file, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        String type = node.hasNonNull("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("");
        if (!"llama3".equals(type)) {
            throw new ModelConfigException(file + ": rope_scaling type \"" + type
                    + "\" is not supported (supported: llama3)");
        }
        Fields f = new Fields(file, node);
        return Optional.of(new RopeScaling(type, f.positiveDouble("factor"), f.positiveDouble("low_freq_factor"),
                f.positiveDouble("high_freq_factor"), f.positiveInt("original_max_position_embeddings")));
    }

    /** {@code torch_dtype}, or {@code dtype}, the name transformers 4.56+ writes instead. */
    private static Optional<String> torchDtype(JsonNode root) {
        for (String field : List.of("torch_dtype", "dtype")) {
            if (root.hasNonNull(field)) {
                return Optional.of(root.get(field).asText());
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> optionalInt(JsonNode node) {
        if (node.isArray() && !node.isEmpty()) {
            return Optional.of(node.get(0).asInt());
        }
        return node.isInt() ? Optional.of(node.asInt()) : Optional.empty();
    }

    /** Number of query heads sharing one key/value head (grouped-query attention). */
    public int queriesPerKeyValueHead() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Reads typed fields with messages that name the file and the field. */
    private record Fields(Path file, JsonNode root) {
        String string(String name) {
            JsonNode n = root.get(name);
            if (n == null || !n.isTextual()) {
                throw new ModelConfigException(file + ": field \"" + name + "\" is missing or not a string");
            }
            return n.asText();
        }

        int positiveInt(String name) {
            JsonNode n = root.get(name);
            if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
                throw new ModelConfigException(file + ": field \"" + name + "\" is missing or not a positive integer"
                        + (n == null ? "" : " (" + n + ")"));
            }
            return n.asInt();
        }

        double positiveDouble(String name) {
            JsonNode n = root.get(name);
            if (n == null || !n.isNumber() || !(n.asDouble() > 0)) {
                throw new ModelConfigException(file + ": field \"" + name + "\" is missing or not a positive number"
                        + (n == null ? "" : " (" + n + ")"));
            }
            return n.asDouble();
        }
    }
}
