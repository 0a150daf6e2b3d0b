package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ModelConfig;

/**
 * The shape each tensor role must have under a config (transformers' {@code LlamaAttention},
 * {@code LlamaMLP}, {@code Qwen2Attention}), and which roles a checkpoint must contain.
 */
record ShapeRules(ModelConfig config) {

    long[] shape(TensorRole role) {
        long h = config.hiddenSize();
        long q = (long) config.numAttentionHeads() * config.headDim();
        long kv = (long) config.numKeyValueHeads() * config.headDim();
        long i = config.intermediateSize();
        long vocab = config.vocabSize();
        return switch (role) {
            case EMBED, LM_HEAD -> new long[] {vocab, h};
            case INPUT_NORM, POST_ATTENTION_NORM, FINAL_NORM, O_BIAS -> new long[] {h};
            case Q -> new long[] {q, h};
            case Q_BIAS -> new long[] {q};
            case K, V -> new long[] {kv, h};
            case K_BIAS, V_BIAS -> new long[] {kv};
            case O -> new long[] {h, q};
            case GATE, UP -> new long[] {i, h};
            case DOWN -> new long[] {h, i};
        };
    }

    /** How the expected shape follows from config.json, for messages. */
    String derivation(TensorRole role) {
        String h = "hidden_size=" + config.hiddenSize();
        String q = "num_attention_heads=" + config.numAttentionHeads() + " × head_dim=" + config.headDim();
        String kv = "num_key_value_heads=" + config.numKeyValueHeads() + " × head_dim=" + config.headDim();
        String i = "intermediate_size=" + config.intermediateSize();
        return switch (role) {
            case EMBED, LM_HEAD -> "vocab_size=" + config.vocabSize() + ", " + h;
            case INPUT_NORM, POST_ATTENTION_NORM, FINAL_NORM, O_BIAS -> h;
            case Q -> q + ", " + h;
            case Q_BIAS -> q;
            case K, V -> kv + ", " + h;
            case K_BIAS, V_BIAS -> kv;
            case O -> h + ", " + q;
            case GATE, UP -> i + ", " + h;
            case DOWN -> h + ", " + i;
        };
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
