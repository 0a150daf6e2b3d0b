package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;

/**
 * Mixtral sparse mixture-of-experts decoders (transformers' {@code modeling_mixtral.py}): Mistral's
 * attention and, per layer, a router {@code block_sparse_moe.gate} [num_local_experts, hidden] and
 * {@code num_local_experts} experts {@code block_sparse_moe.experts.{e}.w1|w2|w3} (w1, w3:
 * [intermediate, hidden], w2: [hidden, intermediate]), the matrices laserRMT's Mixtral script scans.
 * An expert matrix is addressed by (layer, module, expert). Analysis and reduction only.
 */
final class MixtralFamily {

    private static final String EXPERT = LlamaFamily.LAYER + "block_sparse_moe.experts.{expert}.";

    static final ModelFamily FAMILY = ModelFamily.builder("mixtral",
                    "Mixtral mixture-of-experts decoders (analysis and reduction)")
            .modelTypes("mixtral")
            .architectures("MixtralForCausalLM")
            .dimensions(MixtralFamily::dimensions)
            .module(LlamaFamily.EMBED)
            .module(LlamaFamily.Q).module(LlamaFamily.K).module(LlamaFamily.V).module(LlamaFamily.O)
            .module(ModuleSpec.of(TensorSpec.layer("router", LlamaFamily.LAYER + "block_sparse_moe.gate.weight",
                    "num_local_experts", "hidden_size")))
            .module(ModuleSpec.of(TensorSpec.expert("w1", EXPERT + "w1.weight", "intermediate_size", "hidden_size")))
            .module(ModuleSpec.of(TensorSpec.expert("w2", EXPERT + "w2.weight", "hidden_size", "intermediate_size")))
            .module(ModuleSpec.of(TensorSpec.expert("w3", EXPERT + "w3.weight", "intermediate_size", "hidden_size")))
            .module(LlamaFamily.LM_HEAD)
            .expertCount("num_local_experts")
            .defaultModules("q", "k", "v", "o", "w1", "w2", "w3")
            .tiedHead(TiedHead.lmHead(false))
            .build();

    private MixtralFamily() {
    }

    /** MixtralConfig's sizes; num_key_value_heads is required (the class default, 8, is not the heads). */
    static Dimensions dimensions(ConfigFile config) {
        Dimensions.Builder d = DecoderDimensions.read(config, DecoderDimensions.KeyValueHeads.REQUIRED,
                DecoderDimensions.HeadDim.DEFAULTS_TO_HIDDEN_OVER_HEADS);
        d.field("num_local_experts");
        return d.build();
    }
}
