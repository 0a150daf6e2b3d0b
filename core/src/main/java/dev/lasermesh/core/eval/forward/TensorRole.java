package dev.lasermesh.core.eval.forward;

/**
 * What a checkpoint tensor is in a Llama-family decoder, with its Hugging Face name pattern and the
 * shape config.json implies for it. The evaluator addresses tensors by (layer, role), never by
 * searching names.
 */
enum TensorRole {
    EMBED("model.embed_tokens.weight", false),
    INPUT_NORM("model.layers.%d.input_layernorm.weight", true),
    Q("model.layers.%d.self_attn.q_proj.weight", true),
    Q_BIAS("model.layers.%d.self_attn.q_proj.bias", true),
    K("model.layers.%d.self_attn.k_proj.weight", true),
    K_BIAS("model.layers.%d.self_attn.k_proj.bias", true),
    V("model.layers.%d.self_attn.v_proj.weight", true),
    V_BIAS("model.layers.%d.self_attn.v_proj.bias", true),
    O("model.layers.%d.self_attn.o_proj.weight", true),
    O_BIAS("model.layers.%d.self_attn.o_proj.bias", true),
    POST_ATTENTION_NORM("model.layers.%d.post_attention_layernorm.weight", true),
    GATE("model.layers.%d.mlp.gate_proj.weight", true),
    UP("model.layers.%d.mlp.up_proj.weight", true),
    DOWN("model.layers.%d.mlp.down_proj.weight", true),
    FINAL_NORM("model.norm.weight", false),
    LM_HEAD("lm_head.weight", false);

    private final String pattern;
    private final boolean perLayer;

    TensorRole(String pattern, boolean perLayer) {
        this.pattern = pattern;
        this.perLayer = perLayer;
    }

    boolean perLayer() {
        return perLayer;
    }

    /** The tensor name of this role in a layer (the layer is ignored for model-wide tensors). */
    String name(int layer) {
        return perLayer ? pattern.formatted(layer) : pattern;
    }
}
