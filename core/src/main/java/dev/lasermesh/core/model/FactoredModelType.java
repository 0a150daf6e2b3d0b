package dev.lasermesh.core.model;

import java.util.Map;

/**
 * The {@code model_type} and transformers classes of a factored model folder, one per family. A
 * factored folder is not a plain Llama/Mistral/Qwen2 checkpoint (some linears are two factors), so it
 * gets its own {@code model_type} ({@code lasermesh_llama}, ...) whose classes live in the folder's
 * {@code modeling_lasermesh.py} and are found through {@code auto_map} with {@code trust_remote_code=True},
 * as transformers loads custom architectures ("Building custom models", transformers documentation).
 * An own model_type makes a load without trusting that code fail instead of silently building the
 * plain family with freshly initialised linears where the factors are.
 */
public final class FactoredModelType {

    private static final String PREFIX = "lasermesh_";
    /** Family → the CamelCase stem of transformers' class names for it. */
    private static final Map<String, String> CLASS_STEMS = Map.of("llama", "Llama", "mistral", "Mistral",
            "qwen2", "Qwen2");

    private FactoredModelType() {
    }

    /** {@code model_type} of a factored folder of {@code family}, e.g. {@code lasermesh_llama}. */
    public static String of(String family) {
        return PREFIX + family;
    }

    /**
     * The family a {@code model_type} reads as: {@code llama} for {@code lasermesh_llama}, itself for
     * any other.
     */
    public static String familyOf(String modelType) {
        return modelType.startsWith(PREFIX) ? modelType.substring(PREFIX.length()) : modelType;
    }

    /** The config class in modeling_lasermesh.py, e.g. {@code LasermeshLlamaConfig}. */
    public static String configClass(String family) {
        return "Lasermesh" + stem(family) + "Config";
    }

    /** The causal LM class in modeling_lasermesh.py, e.g. {@code LasermeshLlamaForCausalLM}. */
    public static String modelClass(String family) {
        return "Lasermesh" + stem(family) + "ForCausalLM";
    }

    private static String stem(String family) {
        String stem = CLASS_STEMS.get(family);
        if (stem == null) {
            throw new IllegalArgumentException("no factored model classes for family " + family);
        }
        return stem;
    }
}
