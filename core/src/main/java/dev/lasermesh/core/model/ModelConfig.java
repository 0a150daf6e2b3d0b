package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.Dimensions;
import dev.lasermesh.core.model.family.ModelFamilies;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a Hugging Face {@code config.json} that the decoder forward pass needs for the llama
 * family (Llama, Mistral, Qwen2). Field names and defaults follow transformers' {@code LlamaConfig};
 * the sizes are the family's {@link Dimensions} (see {@link ModelFamilies#LLAMA}).
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
 * @param hiddenAct            {@code hidden_act}, the MLP's activation as transformers names it (default
 *                             {@code silu}, as in {@code LlamaConfig}); what is not a string is kept as
 *                             its JSON text, for the evaluator to refuse
 * @param dimensions           the llama family's sizes, from which the shape of every tensor follows
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
        Optional<String> torchDtype,
        String hiddenAct,
        Dimensions dimensions) {

    /**
     * {@code rope_scaling} of type {@code llama3} (Llama 3.1): frequencies are rescaled by wavelength
     * as in transformers' {@code _compute_llama3_parameters}.
     */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
    }

    /** Reads and validates {@code config.json}. */
    public static ModelConfig read(Path file) {
        return parse(ConfigFile.read(file));
    }

    /**
     * The decoder config of a config.json: the llama family's sizes ({@link ModelFamilies#LLAMA}) and
     * the fields the forward pass needs besides.
     *
     * @throws ModelConfigException naming the file and the field that is missing or inconsistent
     */
    public static ModelConfig parse(ConfigFile file) {
        String modelType = FactoredModelType.familyOf(file.string("model_type"));
        Architecture architecture = ModelFamilies.LLAMA.architecture(file);
        Dimensions d = architecture.dimensions();
        int headDim = d.intValue("head_dim");
        if (headDim % 2 != 0) {
            throw new ModelConfigException(file.source() + ": head_dim " + headDim + " must be even for RoPE");
        }
        JsonNode root = file.root();
        return new ModelConfig(
                file.source(),
                modelType,
                file.architectures(),
                d.intValue("vocab_size"),
                d.intValue("hidden_size"),
                d.intValue("intermediate_size"),
                d.intValue(Architecture.LAYERS),
                d.intValue("num_attention_heads"),
                d.intValue("num_key_value_heads"),
                headDim,
                file.has("rope_theta") ? file.positiveDouble("rope_theta") : 10000.0,
                ropeScaling(file.source(), root.path("rope_scaling")),
                file.has("rms_norm_eps") ? file.positiveDouble("rms_norm_eps") : 1e-6,
                architecture.headTied(),
                file.bool("attention_bias", "qwen2".equals(modelType)),
                optionalInt(root.path("bos_token_id")),
                optionalInt(root.path("eos_token_id")),
                torchDtype(root),
                hiddenAct(root.path("hidden_act")),
                d);
    }

    private static String hiddenAct(JsonNode node) {
        if (node.isMissingNode()) {
            return "silu";
        }
        return node.isTextual() ? node.asText() : node.toString();
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
        return Optional.of(new RopeScaling(type, ConfigFile.positiveDouble(file, node, "factor"),
                ConfigFile.positiveDouble(file, node, "low_freq_factor"),
                ConfigFile.positiveDouble(file, node, "high_freq_factor"),
                ConfigFile.positiveInt(file, node, "original_max_position_embeddings")));
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
}
