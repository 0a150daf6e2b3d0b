package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;

/**
 * Phi-3 decoders (transformers' {@code modeling_phi3.py}), whose projections are fused: per layer
 * {@code self_attn.qkv_proj} [heads·head_dim + 2·kv_heads·head_dim, hidden] (queries, then keys, then
 * values), {@code self_attn.o_proj}, {@code mlp.gate_up_proj} [2·intermediate, hidden] (gate, then up)
 * and {@code mlp.down_proj}. A fused matrix is analysed and truncated as one matrix. Analysis and
 * reduction only.
 */
final class Phi3Family {

    static final ModelFamily FAMILY = ModelFamily.builder("phi3", "Phi-3 decoders with fused projections "
                    + "(analysis and reduction)")
            .modelTypes("phi3")
            .architectures("Phi3ForCausalLM")
            .dimensions(Phi3Family::dimensions)
            .module(LlamaFamily.EMBED)
            .module(ModuleSpec.of(TensorSpec.layer("qkv", LlamaFamily.LAYER + "self_attn.qkv_proj.weight",
                    "qkv_size", "hidden_size"), "qkv_proj"))
            .module(LlamaFamily.O)
            .module(ModuleSpec.of(TensorSpec.layer("gate_up", LlamaFamily.LAYER + "mlp.gate_up_proj.weight",
                    "gate_up_size", "hidden_size"), "gate_up_proj"))
            .module(LlamaFamily.DOWN)
            .module(LlamaFamily.LM_HEAD)
            .defaultModules("qkv", "o", "gate_up", "down")
            .tiedHead(TiedHead.lmHead(false))
            .build();

    private Phi3Family() {
    }

    /** Phi3Config's sizes and the fused outputs qkv_size and gate_up_size. */
    static Dimensions dimensions(ConfigFile config) {
        Dimensions.Builder d = DecoderDimensions.read(config, DecoderDimensions.KeyValueHeads.DEFAULTS_TO_HEADS,
                DecoderDimensions.HeadDim.DEFAULTS_TO_HIDDEN_OVER_HEADS);
        d.derived("qkv_size", d.value("q_size") + 2 * d.value("kv_size"),
                d.derivation("q_size") + " + 2 × " + d.derivation("kv_size"));
        d.derived("gate_up_size", 2 * d.value("intermediate_size"), "2 × " + d.derivation("intermediate_size"));
        return d.build();
    }
}
