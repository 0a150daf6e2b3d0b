package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ModelConfig;

/**
 * The shape each tensor role must have under a config (the llama family's shape rules: transformers'
 * {@code LlamaAttention}, {@code LlamaMLP}, {@code Qwen2Attention}), and which roles a checkpoint must
 * contain.
 */
record ShapeRules(ModelConfig config) {

    long[] shape(TensorRole role) {
        return role.spec().shape(config.dimensions());
    }

    /** How the expected shape follows from config.json, for messages. */
    String derivation(TensorRole role) {
        return role.spec().derivation(config.dimensions());
    }

    /** Whether the forward pass reads this role at all (a tied model has no separate head). */
    boolean isUsed(TensorRole role) {
        return role != TensorRole.LM_HEAD || !config.tieWordEmbeddings();
    }

    boolean isRequired(TensorRole role) {
        return switch (role) {
            case Q_BIAS, K_BIAS, V_BIAS -> config.attentionBias();
            case O_BIAS -> false;
            default -> true;
        };
    }

    String whyRequired(TensorRole role) {
        return switch (role) {
            case Q_BIAS, K_BIAS, V_BIAS -> " (config " + config.source() + " says attention_bias is true)";
            case LM_HEAD -> " (config " + config.source() + " says tie_word_embeddings is false)";
            default -> "";
        };
    }
}
