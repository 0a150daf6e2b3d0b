package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.family.EvaluationSupport.ForwardPass;
import dev.lasermesh.core.model.family.EvaluationSupport.Metric;

/**
 * Llama, Mistral and Qwen2 decoders: one set of tensor names (transformers' {@code modeling_llama.py},
 * {@code modeling_mistral.py}, {@code modeling_qwen2.py}) and the config fields of {@code LlamaConfig}.
 * The modules here are shared by the decoder families that name them the same way.
 */
final class LlamaFamily {

    static final String LAYER = "model.layers.{layer}.";

    static final ModuleSpec EMBED = ModuleSpec.of(
            TensorSpec.model("embed", "model.embed_tokens.weight", "vocab_size", "hidden_size"), "embed_tokens");
    static final ModuleSpec Q = ModuleSpec.of(
            TensorSpec.layer("q", LAYER + "self_attn.q_proj.weight", "q_size", "hidden_size"), "q_proj");
    static final ModuleSpec K = ModuleSpec.of(
            TensorSpec.layer("k", LAYER + "self_attn.k_proj.weight", "kv_size", "hidden_size"), "k_proj");
    static final ModuleSpec V = ModuleSpec.of(
            TensorSpec.layer("v", LAYER + "self_attn.v_proj.weight", "kv_size", "hidden_size"), "v_proj");
    static final ModuleSpec O = ModuleSpec.of(
            TensorSpec.layer("o", LAYER + "self_attn.o_proj.weight", "hidden_size", "q_size"), "o_proj");
    static final ModuleSpec GATE = ModuleSpec.of(
            TensorSpec.layer("gate", LAYER + "mlp.gate_proj.weight", "intermediate_size", "hidden_size"), "gate_proj");
    static final ModuleSpec UP = ModuleSpec.of(
            TensorSpec.layer("up", LAYER + "mlp.up_proj.weight", "intermediate_size", "hidden_size"), "up_proj");
    static final ModuleSpec DOWN = ModuleSpec.of(
            TensorSpec.layer("down", LAYER + "mlp.down_proj.weight", "hidden_size", "intermediate_size"), "down_proj");
    static final ModuleSpec LM_HEAD = ModuleSpec.of(
            TensorSpec.model("lm_head", "lm_head.weight", "vocab_size", "hidden_size"));
    static final TensorSpec INPUT_NORM = TensorSpec.layer("input_layernorm", LAYER + "input_layernorm.weight",
            "hidden_size");
    static final TensorSpec POST_ATTENTION_NORM = TensorSpec.layer("post_attention_layernorm",
            LAYER + "post_attention_layernorm.weight", "hidden_size");
    static final TensorSpec FINAL_NORM = TensorSpec.model("norm", "model.norm.weight", "hidden_size");

    static final ModelFamily FAMILY = ModelFamily.builder("llama",
                    "Llama, Mistral and Qwen2 decoders (transformers' LlamaForCausalLM names)")
            .modelTypes("llama", "mistral", "qwen2")
            .architectures("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM")
            .dimensions(LlamaFamily::dimensions)
            .module(EMBED).module(Q).module(K).module(V).module(O).module(GATE).module(UP).module(DOWN).module(LM_HEAD)
            .tensor(INPUT_NORM)
            .tensor(TensorSpec.layer("q.bias", LAYER + "self_attn.q_proj.bias", "q_size"))
            .tensor(TensorSpec.layer("k.bias", LAYER + "self_attn.k_proj.bias", "kv_size"))
            .tensor(TensorSpec.layer("v.bias", LAYER + "self_attn.v_proj.bias", "kv_size"))
            .tensor(TensorSpec.layer("o.bias", LAYER + "self_attn.o_proj.bias", "hidden_size"))
            .tensor(POST_ATTENTION_NORM)
            .tensor(FINAL_NORM)
            .defaultModules("q", "k", "v", "o", "gate", "up", "down")
            .searchOrder("down", "up", "q", "k", "v", "o")
            .tiedHead(TiedHead.lmHead(false))
            .evaluation(new EvaluationSupport(ForwardPass.DECODER, Metric.PERPLEXITY))
            .build();

    private LlamaFamily() {
    }

    /** LlamaConfig's sizes: hidden, attention (GQA, head_dim defaulting to hidden/heads), vocab, MLP, layers. */
    static Dimensions dimensions(ConfigFile config) {
        return DecoderDimensions.read(config, DecoderDimensions.KeyValueHeads.DEFAULTS_TO_HEADS,
                DecoderDimensions.HeadDim.DEFAULTS_TO_HIDDEN_OVER_HEADS).build();
    }
}
