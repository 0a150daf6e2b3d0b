package dev.lasermesh.core.scan;

import dev.lasermesh.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The module names of transformers' {@code LlamaForCausalLM.named_modules()} (Llama, Mistral and
 * Qwen2 share them; transformers 4.4x–5.x) in their order, with whether each module holds a weight,
 * as Spectrum walks them (the rules of {@code fixtures/tools/spectrum_reference.py}): the embeddings,
 * per layer the seven projections, the activation (no weight), the two norms, then the final norm,
 * the rotary embedding (a buffer, no weight) and the head. The one place that knows this tree, so
 * that another family touches only this class.
 */
final class LlamaModuleTree {

    /** One module: its name and whether it has a {@code .weight}. */
    record Module(String name, boolean hasWeight) {
    }

    private static final String[] LAYER_MODULES = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};

    private LlamaModuleTree() {
    }

    /** The modules of a model with {@code config}'s number of layers, in {@code named_modules()} order. */
    static List<Module> of(ModelConfig config) {
        List<Module> modules = new ArrayList<>();
        modules.add(new Module("model.embed_tokens", true));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String layer = "model.layers." + i + ".";
            for (String m : LAYER_MODULES) {
                modules.add(new Module(layer + m, true));
            }
            modules.add(new Module(layer + "mlp.act_fn", false));
            modules.add(new Module(layer + "input_layernorm", true));
            modules.add(new Module(layer + "post_attention_layernorm", true));
        }
        modules.add(new Module("model.norm", true));
        modules.add(new Module("model.rotary_emb", false));
        modules.add(new Module("lm_head", true));
        return modules;
    }

    /** The layer of a module {@code model.layers.<n>....}. */
    static int layerOf(String module) {
        String[] parts = module.split("\\.");
        if (parts.length < 3 || !parts[0].equals("model") || !parts[1].equals("layers")) {
            throw new IllegalArgumentException(module + " is not a module of a decoder layer");
        }
        return Integer.parseInt(parts[2]);
    }

    /** Whether Spectrum counts the module's type: it has a weight, or it is the rotary embedding (a buffer). */
    static boolean typed(Module module) {
        return module.hasWeight() || module.name().endsWith("rotary_emb");
    }

    /**
     * The tensor holding a module's weight: {@code <name>.weight}, except a tied head, whose weight is
     * the embedding matrix (transformers ties them after loading).
     */
    static String weightTensor(Module module, ModelConfig config) {
        return module.name().equals("lm_head") && config.tieWordEmbeddings() ? "model.embed_tokens.weight"
                : module.name() + ".weight";
    }
}
