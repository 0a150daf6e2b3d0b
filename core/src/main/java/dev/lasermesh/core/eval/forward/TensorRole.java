package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.Scope;
import dev.lasermesh.core.model.family.TensorSpec;

/**
 * What a checkpoint tensor is to the decoder forward pass. Names and shapes come from the llama
 * family ({@link ModelFamilies#LLAMA}); the evaluator addresses tensors by (layer, role), never by
 * searching names.
 */
enum TensorRole {
    EMBED("embed"),
    INPUT_NORM("input_layernorm"),
    Q("q"),
    Q_BIAS("q.bias"),
    K("k"),
    K_BIAS("k.bias"),
    V("v"),
    V_BIAS("v.bias"),
    O("o"),
    O_BIAS("o.bias"),
    POST_ATTENTION_NORM("post_attention_layernorm"),
    GATE("gate"),
    UP("up"),
    DOWN("down"),
    FINAL_NORM("norm"),
    LM_HEAD("lm_head");

    private final TensorSpec spec;

    TensorRole(String key) {
        this.spec = ModelFamilies.LLAMA.tensor(key);
    }

    /** The family's description of the tensor: name pattern and shape rule. */
    TensorSpec spec() {
        return spec;
    }

    boolean perLayer() {
        return spec.scope() == Scope.LAYER;
    }

    /** The tensor name of this role in a layer (the layer is ignored for model-wide tensors). */
    String name(int layer) {
        return spec.name(layer);
    }
}
