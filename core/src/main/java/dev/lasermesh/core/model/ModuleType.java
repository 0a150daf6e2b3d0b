package dev.lasermesh.core.model;

import dev.lasermesh.core.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The weight matrices of a Llama-family decoder (Llama, Mistral, Qwen2), with their Hugging Face
 * tensor names (transformers' {@code modeling_llama.py}: {@code model.layers.{i}.self_attn.q_proj.weight},
 * {@code model.layers.{i}.mlp.gate_proj.weight}, {@code model.embed_tokens.weight},
 * {@code lm_head.weight}) and the [out_features, in_features] shapes a config implies.
 * {@link #OTHER} marks a 2-D tensor of a file whose architecture is unknown.
 */
public enum ModuleType {
    Q("q", "self_attn.q_proj"),
    K("k", "self_attn.k_proj"),
    V("v", "self_attn.v_proj"),
    O("o", "self_attn.o_proj"),
    GATE("gate", "mlp.gate_proj"),
    UP("up", "mlp.up_proj"),
    DOWN("down", "mlp.down_proj"),
    EMBED("embed", "model.embed_tokens"),
    LM_HEAD("lm_head", "lm_head"),
    OTHER("other", "");

    private final String shortName;
    private final String path;

    ModuleType(String shortName, String path) {
        this.shortName = shortName;
        this.path = path;
    }

    /** The name users type ({@code q}, {@code gate}, {@code lm_head}, ...). */
    public String shortName() {
        return shortName;
    }

    /** Whether each decoder layer has one (q, k, v, o, gate, up, down). */
    public boolean perLayer() {
        return ordinal() <= DOWN.ordinal();
    }

    /** The seven per-layer matrices, the default selection. */
    public static Set<ModuleType> layerModules() {
        return EnumSet.range(Q, DOWN);
    }

    /**
     * The Hugging Face tensor name.
     *
     * @param layer the decoder layer for per-layer modules; ignored (pass -1) for embed and lm_head
     * @throws IllegalArgumentException for {@link #OTHER}, or a negative layer of a per-layer module
     */
    public String tensorName(int layer) {
        if (this == OTHER) {
            throw new IllegalArgumentException("a matrix of an unknown architecture has no standard tensor name");
        }
        if (!perLayer()) {
            return path + ".weight";
        }
        if (layer < 0) {
            throw new IllegalArgumentException(shortName + " is a per-layer module; layer " + layer + " is invalid");
        }
        return "model.layers." + layer + "." + path + ".weight";
    }

    /** [out_features, in_features] of this module's weight under {@code config} (GQA: k/v have the KV heads). */
    public long[] expectedShape(ModelConfig config) {
        long hidden = config.hiddenSize();
        long queries = (long) config.numAttentionHeads() * config.headDim();
        long keyValues = (long) config.numKeyValueHeads() * config.headDim();
        long inter = config.intermediateSize();
        return switch (this) {
            case Q -> new long[] {queries, hidden};
            case K, V -> new long[] {keyValues, hidden};
            case O -> new long[] {hidden, queries};
            case GATE, UP -> new long[] {inter, hidden};
            case DOWN -> new long[] {hidden, inter};
            case EMBED, LM_HEAD -> new long[] {config.vocabSize(), hidden};
            case OTHER -> throw new IllegalArgumentException("a matrix of an unknown architecture has no expected shape");
        };
    }

    /**
     * Parses one module name: the short name ({@code q}, {@code down}, {@code embed}) or the Hugging
     * Face one ({@code q_proj}, {@code down_proj}, {@code embed_tokens}, {@code lm_head}), any case.
     *
     * @throws InvalidInputException naming the value and listing the valid names
     */
    public static ModuleType parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ModuleType t : values()) {
            if (t != OTHER && (t.shortName.equals(n) || t.path.substring(t.path.lastIndexOf('.') + 1).equals(n))) {
                return t;
            }
        }
        throw new InvalidInputException("unknown module \"" + name.trim() + "\" (valid: " + validNames() + ")");
    }

    /**
     * Parses a comma-separated module list such as {@code "q,k,v,o,gate,up,down"}.
     *
     * @throws InvalidInputException on an empty list, an empty item or an unknown name
     */
    public static Set<ModuleType> parseList(String list) {
        if (list.isBlank()) {
            throw new InvalidInputException("empty module list (valid: " + validNames() + ")");
        }
        Set<ModuleType> modules = EnumSet.noneOf(ModuleType.class);
        for (String item : list.split(",", -1)) {
            if (item.isBlank()) {
                throw new InvalidInputException("module list \"" + list + "\" has an empty item (valid: "
                        + validNames() + ")");
            }
            modules.add(parse(item));
        }
        return modules;
    }

    private static String validNames() {
        return Arrays.stream(values()).filter(t -> t != OTHER).map(ModuleType::shortName)
                .collect(Collectors.joining(", "));
    }
}
