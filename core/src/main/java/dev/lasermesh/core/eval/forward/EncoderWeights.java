package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.model.family.TensorSpec;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a BERT encoder bound to the bert family's keys ({@link ModelFamilies#BERT}: {@code q},
 * {@code q.bias}, …, {@code output_norm.weight}) and checked against config.json: every shape follows
 * from it, every value is finite. Float32 matrices stay memory-mapped, as in {@link DecoderWeights}.
 * The pooler, which sentence embeddings do not use, is not read.
 *
 * <p>The model source must stay open while this object (or any {@link EncoderState} of it) is in use.
 */
public final class EncoderWeights {

    /** The per-layer tensors the forward pass reads, by family key. */
    static final List<String> LAYER_KEYS = List.of("q", "q.bias", "k", "k.bias", "v", "v.bias", "o", "o.bias",
            "attention_norm.weight", "attention_norm.bias", "up", "up.bias", "down", "down.bias",
            "output_norm.weight", "output_norm.bias");
    /** The model-wide tensors it reads. */
    static final List<String> MODEL_KEYS = List.of("embed", "pos_embed", "type_embed", "embed_norm.weight",
            "embed_norm.bias");

    private final EncoderConfig config;
    private final String description;
    private final Map<String, Tensor> tensors;
    private final EncoderState baseState;

    /**
     * A bound tensor: where it sits (its family key, its layer or −1) and its values as a matrix or a vector.
     */
    record Tensor(String name, String key, int layer, WeightMatrix matrix, float[] vector) {

        long elementCount() {
            return matrix != null ? (long) matrix.rows() * matrix.cols() : vector.length;
        }
    }

    private EncoderWeights(EncoderConfig config, String description, Map<String, Tensor> tensors) {
        this.config = config;
        this.description = description;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.baseState = new EncoderState(this, Map.of());
    }

    /**
     * Binds the encoder tensors of an opened model folder.
     *
     * @throws ModelConfigException naming config.json when the model is no BERT encoder the forward pass
     *                              runs, or a tensor's shape does not follow from it
     * @throws TensorFormatException naming the tensor when one is missing or holds a NaN or infinity
     */
    public static EncoderWeights bind(ModelSource model) {
        var file = model.config().orElseThrow(() -> new ModelConfigException(model.path() + ": no "
                + ModelSource.CONFIG_FILE + "; the encoder needs a Hugging Face model folder"));
        ModelFamily family = model.catalogue().family().orElse(null);
        if (family != ModelFamilies.BERT) {
            throw ModelFamilies.notEvaluable(file);
        }
        EncoderConfig config = EncoderConfig.of(file);
        Architecture architecture = family.architecture(file);
        TensorSource source = model.tensors();
        String prefix = model.catalogue().prefix();
        Map<String, Tensor> bound = new LinkedHashMap<>();
        for (String key : MODEL_KEYS) {
            bind(source, architecture, prefix, key, -1, bound);
        }
        for (int layer = 0; layer < config.layers(); layer++) {
            for (String key : LAYER_KEYS) {
                bind(source, architecture, prefix, key, layer, bound);
            }
        }
        return new EncoderWeights(config, source.description(), bound);
    }

    private static void bind(TensorSource source, Architecture architecture, String prefix, String key, int layer,
                             Map<String, Tensor> bound) {
        TensorSpec spec = architecture.family().tensor(key);
        String name = prefix + spec.name(layer);
        if (!source.contains(name)) {
            throw new TensorFormatException(source.description() + ": tensor " + name + " is missing (the encoder"
                    + " forward pass needs it)");
        }
        long[] expected = architecture.shape(spec);
        long[] actual = source.info(name).shape();
        if (!Arrays.equals(actual, expected)) {
            throw new ModelConfigException(architecture.config().source() + ": tensor " + name + " in "
                    + source.description() + " has shape " + Arrays.toString(actual) + " but the config implies "
                    + Arrays.toString(expected) + " (" + architecture.derivation(spec) + ")");
        }
        Tensor t;
        if (expected.length == 2) {
            t = new Tensor(name, key, layer, DecoderWeights.matrix(source, name, Math.toIntExact(expected[0]),
                    Math.toIntExact(expected[1])), null);
        } else {
            float[] values = source.readFloats(name);
            DecoderWeights.requireFinite(source, name, values);
            t = new Tensor(name, key, layer, null, values);
        }
        bound.put(name, t);
    }

    public EncoderConfig config() {
        return config;
    }

    /** The unmodified model, the state every overlay starts from. */
    public EncoderState baseState() {
        return baseState;
    }

    /** Names of the tensors the forward pass uses (the names an overlay may replace). */
    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    /** Where the tensors come from, for messages. */
    public String description() {
        return description;
    }

    Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new TensorFormatException(description + ": no tensor " + name + " in this encoder");
        }
        return t;
    }

    /** The tensor of a family key in a layer (−1 for model-wide ones). */
    Tensor tensor(String key, int layer) {
        return tensors.values().stream().filter(t -> t.key().equals(key) && t.layer() == layer).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no encoder tensor " + key + " in layer " + layer));
    }
}
