package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ModelConfig;

/**
 * Where in a decoder layer the input X of a linear is taken, for calibration (DESIGN §7.4): the four
 * distinct inputs of a Llama layer. q/k/v share one input, gate/up share another, so one Gram matrix
 * XᵀX serves every linear of a site.
 */
public enum LinearInput {
    /** The output of {@code input_layernorm}: X of q_proj, k_proj, v_proj. */
    ATTENTION_INPUT("attention_input"),
    /** The attention output, heads concatenated, before o_proj: X of o_proj. */
    ATTENTION_OUTPUT("attention_output"),
    /** The output of {@code post_attention_layernorm}: X of gate_proj, up_proj. */
    MLP_INPUT("mlp_input"),
    /** {@code silu(gate_proj(x)) ⊙ up_proj(x)}: X of down_proj. */
    MLP_HIDDEN("mlp_hidden");

    private final String key;

    LinearInput(String key) {
        this.key = key;
    }

    /** The columns of this input in a model of {@code config}. */
    public int width(ModelConfig config) {
        return switch (this) {
            case ATTENTION_INPUT, MLP_INPUT -> config.hiddenSize();
            case ATTENTION_OUTPUT -> config.numAttentionHeads() * config.headDim();
            case MLP_HIDDEN -> config.intermediateSize();
        };
    }

    /** The name used in calibration files. */
    public String key() {
        return key;
    }

    /**
     * The site of a Llama-family linear weight named {@code tensorName}, by its module
     * ({@code self_attn.q_proj} …), or null when the tensor is not one of the seven layer linears.
     */
    public static LinearInput ofTensor(String tensorName) {
        String n = tensorName.endsWith(".weight") ? tensorName.substring(0, tensorName.length() - 7) : tensorName;
        if (n.endsWith("self_attn.q_proj") || n.endsWith("self_attn.k_proj") || n.endsWith("self_attn.v_proj")) {
            return ATTENTION_INPUT;
        }
        if (n.endsWith("self_attn.o_proj")) {
            return ATTENTION_OUTPUT;
        }
        if (n.endsWith("mlp.gate_proj") || n.endsWith("mlp.up_proj")) {
            return MLP_INPUT;
        }
        if (n.endsWith("mlp.down_proj")) {
            return MLP_HIDDEN;
        }
        return null;
    }
}
