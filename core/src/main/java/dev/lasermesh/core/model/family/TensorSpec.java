package dev.lasermesh.core.model.family;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One tensor of a family: its Hugging Face name pattern and its shape as names of
 * {@link Dimensions} read from config.json, e.g. {@code model.layers.{layer}.self_attn.k_proj.weight}
 * with shape {@code [kv_size, hidden_size]}.
 *
 * @param key     how the family and its forward pass refer to it: a module's short name ({@code q},
 *                {@code down}) or, for a tensor that is not a module, a role such as {@code q.bias} or
 *                {@code input_layernorm}
 * @param scope   once per model, layer or expert
 * @param pattern the name without any prefix, with {@code {layer}} and {@code {expert}} placeholders as
 *                the scope requires
 * @param shape   dimension names, outermost first: [out_features, in_features] for a weight matrix
 */
public record TensorSpec(String key, Scope scope, String pattern, List<String> shape) {

    private static final String LAYER = "{layer}";
    private static final String EXPERT = "{expert}";

    public TensorSpec {
        shape = List.copyOf(shape);
        boolean layered = pattern.contains(LAYER);
        boolean expert = pattern.contains(EXPERT);
        if (layered != (scope != Scope.MODEL) || expert != (scope == Scope.EXPERT) || shape.isEmpty()) {
            throw new IllegalArgumentException("tensor " + key + ": pattern " + pattern + " and shape " + shape
                    + " do not fit scope " + scope);
        }
    }

    /** A model-wide tensor. */
    public static TensorSpec model(String key, String pattern, String... shape) {
        return new TensorSpec(key, Scope.MODEL, pattern, List.of(shape));
    }

    /** A tensor of every layer. */
    public static TensorSpec layer(String key, String pattern, String... shape) {
        return new TensorSpec(key, Scope.LAYER, pattern, List.of(shape));
    }

    /** A tensor of every expert of every layer. */
    public static TensorSpec expert(String key, String pattern, String... shape) {
        return new TensorSpec(key, Scope.EXPERT, pattern, List.of(shape));
    }

    /**
     * The tensor name (without prefix).
     *
     * @param layer  the layer, ignored for model-wide tensors
     * @param expert the expert, ignored unless the scope is {@link Scope#EXPERT}
     * @throws IllegalArgumentException when the scope needs a layer or expert and it is negative
     */
    public String name(int layer, int expert) {
        if ((scope != Scope.MODEL && layer < 0) || (scope == Scope.EXPERT && expert < 0)) {
            throw new IllegalArgumentException(key + " is a per-" + scope.name().toLowerCase(java.util.Locale.ROOT)
                    + " tensor; layer " + layer + ", expert " + expert + " is invalid");
        }
        return pattern.replace(LAYER, Integer.toString(layer)).replace(EXPERT, Integer.toString(expert));
    }

    /** The tensor name of a model-wide or per-layer tensor (without prefix). */
    public String name(int layer) {
        return name(layer, -1);
    }

    /** The shape {@code dimensions} imply. */
    public long[] shape(Dimensions dimensions) {
        return shape.stream().mapToLong(dimensions::value).toArray();
    }

    /** How the shape follows from config.json, e.g. {@code num_key_value_heads=4 × head_dim=32, hidden_size=256}. */
    public String derivation(Dimensions dimensions) {
        return shape.stream().map(dimensions::derivation).collect(Collectors.joining(", "));
    }
}
