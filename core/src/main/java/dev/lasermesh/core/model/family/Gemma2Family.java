package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;

/**
 * Gemma 2 decoders (transformers' {@code modeling_gemma2.py}): Llama's matrix names, but head_dim is
 * independent of hidden_size (Gemma-2-2B: hidden 2304, 8 heads × head_dim 256), so q and o are not
 * square, and the head is tied to the embeddings unless config.json says otherwise
 * ({@code Gemma2Config} defaults {@code tie_word_embeddings} to true). Analysis and reduction only.
 */
final class Gemma2Family {

    static final ModelFamily FAMILY = ModelFamily.builder("gemma2", "Gemma 2 decoders (analysis and reduction)")
            .modelTypes("gemma2")
            .architectures("Gemma2ForCausalLM")
            .dimensions(Gemma2Family::dimensions)
            .module(LlamaFamily.EMBED)
            .module(LlamaFamily.Q).module(LlamaFamily.K).module(LlamaFamily.V).module(LlamaFamily.O)
            .module(LlamaFamily.GATE).module(LlamaFamily.UP).module(LlamaFamily.DOWN)
            .module(LlamaFamily.LM_HEAD)
            .defaultModules("q", "k", "v", "o", "gate", "up", "down")
            .tiedHead(TiedHead.lmHead(true))
            .build();

    private Gemma2Family() {
    }

    /**
     * Gemma2Config's sizes; head_dim and num_key_value_heads are required (the class defaults, 256
     * and 4, do not follow from the other fields).
     */
    static Dimensions dimensions(ConfigFile config) {
        return DecoderDimensions.read(config, DecoderDimensions.KeyValueHeads.REQUIRED,
                DecoderDimensions.HeadDim.REQUIRED).build();
    }
}
