package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.ModelConfigException;

/**
 * The sizes every decoder family here reads the same way, as transformers' config classes define
 * them: {@code hidden_size}, {@code num_attention_heads}, {@code num_key_value_heads},
 * {@code head_dim}, the derived {@code q_size} = heads × head_dim and {@code kv_size} = KV heads ×
 * head_dim, {@code vocab_size}, {@code intermediate_size} and {@code num_hidden_layers}. Where a
 * family's config class defaults a field to something config.json cannot show (Gemma2's head_dim 256,
 * Mixtral's 8 KV heads), the field is required instead of guessed.
 */
final class DecoderDimensions {

    /** Whether config.json must give num_key_value_heads or it defaults to num_attention_heads. */
    enum KeyValueHeads { REQUIRED, DEFAULTS_TO_HEADS }

    /** Whether config.json must give head_dim or it defaults to hidden_size / num_attention_heads. */
    enum HeadDim { REQUIRED, DEFAULTS_TO_HIDDEN_OVER_HEADS }

    private DecoderDimensions() {
    }

    /** Reads the common sizes; the caller may add its own before building. */
    static Dimensions.Builder read(ConfigFile config, KeyValueHeads kvRule, HeadDim headDimRule) {
        Dimensions.Builder d = Dimensions.from(config);
        int hidden = d.field("hidden_size");
        int heads = d.field("num_attention_heads");
        int kvHeads = kvRule == KeyValueHeads.REQUIRED ? d.field("num_key_value_heads")
                : d.fieldOr("num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw new ModelConfigException(config.source() + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (headDimRule == HeadDim.REQUIRED || config.has("head_dim")) {
            d.field("head_dim");
        } else if (hidden % heads == 0) {
            d.derived("head_dim", hidden / heads, "head_dim=" + hidden / heads);
        } else {
            throw new ModelConfigException(config.source() + ": hidden_size " + hidden
                    + " is not divisible by num_attention_heads " + heads + " and head_dim is missing");
        }
        d.product("q_size", "num_attention_heads", "head_dim");
        d.product("kv_size", "num_key_value_heads", "head_dim");
        d.field("vocab_size");
        d.field("intermediate_size");
        d.field(Architecture.LAYERS);
        return d;
    }
}
