package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A base model plus replaced tensors ("overlays"), without copying the model: a search builds one
 * state per candidate, evaluates it and drops it. States are immutable; {@link #with} returns a new
 * one sharing everything else.
 *
 * <p>Overlay arrays are used as given, not copied: do not change an array after handing it over.
 * Two states differ in a tensor when they hold different arrays for it (identity, not content), which
 * is what the hidden-state cache compares.
 */
public final class ModelState {

    private final DecoderWeights base;
    private final Map<String, float[]> overlays;
    private final LayerWeights[] layers;
    private final WeightMatrix embed;
    private final WeightMatrix lmHead;
    private final float[] finalNorm;

    ModelState(DecoderWeights base, Map<String, float[]> overlays) {
        this.base = base;
        this.overlays = Map.copyOf(overlays);
        int n = base.config().numHiddenLayers();
        this.layers = new LayerWeights[n];
        for (int l = 0; l < n; l++) {
            layers[l] = new LayerWeights(
                    vector(TensorRole.INPUT_NORM, l),
                    matrix(TensorRole.Q, l), vector(TensorRole.Q_BIAS, l),
                    matrix(TensorRole.K, l), vector(TensorRole.K_BIAS, l),
                    matrix(TensorRole.V, l), vector(TensorRole.V_BIAS, l),
                    matrix(TensorRole.O, l), vector(TensorRole.O_BIAS, l),
                    vector(TensorRole.POST_ATTENTION_NORM, l),
                    matrix(TensorRole.GATE, l), matrix(TensorRole.UP, l), matrix(TensorRole.DOWN, l));
        }
        this.embed = matrix(TensorRole.EMBED, -1);
        this.lmHead = base.config().tieWordEmbeddings() ? embed : matrix(TensorRole.LM_HEAD, -1);
        this.finalNorm = vector(TensorRole.FINAL_NORM, -1);
    }

    private WeightMatrix matrix(TensorRole role, int layer) {
        BoundTensor t = base.tensorOrNull(role, layer);
        if (t == null) {
            return null;
        }
        float[] replaced = overlays.get(t.name());
        return replaced == null ? t.matrix() : WeightMatrix.ofArray(t.name(), t.matrix().rows(), t.matrix().cols(), replaced);
    }

    private float[] vector(TensorRole role, int layer) {
        BoundTensor t = base.tensorOrNull(role, layer);
        if (t == null) {
            return null;
        }
        return overlays.getOrDefault(t.name(), t.vector());
    }

    /** The model this state overlays. */
    public DecoderWeights base() {
        return base;
    }

    /** The replaced tensors, by name (unmodifiable). */
    public Map<String, float[]> overlays() {
        return overlays;
    }

    /**
     * This state with {@code name} replaced by {@code values} (row-major, float32, same element count as
     * the original).
     *
     * @throws TensorFormatException naming the tensor when it is not part of the model, the length is
     *                               wrong or a value is not finite
     */
    public ModelState with(String name, float[] values) {
        return withAll(Map.of(name, values));
    }

    /** This state with several tensors replaced at once (see {@link #with}). */
    public ModelState withAll(Map<String, float[]> replacements) {
        Map<String, float[]> merged = new HashMap<>(overlays);
        replacements.forEach((name, values) -> {
            BoundTensor t = base.tensor(name);
            if (values.length != t.elementCount()) {
                throw new TensorFormatException("overlay for " + name + " has " + values.length
                        + " values, the tensor " + t.shapeText() + " has " + t.elementCount());
            }
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new TensorFormatException("overlay for " + name + " holds a NaN or infinite value at element " + i);
                }
            }
            merged.put(name, values);
        });
        return new ModelState(base, merged);
    }

    /**
     * This state with every tensor of {@code overlay} (e.g. a folder of reduced matrices) replacing the
     * tensor of the same name, decoded exactly to float32; the matrices {@code factored} lists are stored
     * in the overlay as two factors and replace their tensor multiplied out (as {@link
     * DecoderWeights#bind(dev.lasermesh.core.model.ModelConfig, TensorSource, RankMap)} does).
     */
    public ModelState withTensorsOf(TensorSource overlay, RankMap factored) {
        Map<String, float[]> replacements = new HashMap<>();
        Set<String> factors = factored.factorTensors();
        overlay.tensors().forEach(info -> {
            if (factors.contains(info.name())) {
                return;
            }
            if (!base.tensorNames().contains(info.name())) {
                throw new TensorFormatException(overlay.description() + ": overlay tensor " + info.name()
                        + " is not a tensor of " + base.description());
            }
            replacements.put(info.name(), overlay.readFloats(info.name()));
        });
        factored.entries().forEach((name, entry) -> {
            if (!base.tensorNames().contains(name)) {
                throw new TensorFormatException(overlay.description() + ": factored overlay tensor " + name
                        + " is not a tensor of " + base.description());
            }
            LowRankFactors product = LowRankFactors.read(overlay, name, entry);
            BoundTensor t = base.tensor(name);
            if (t.matrix() == null || product.a().rows() != t.matrix().rows() || product.b().cols() != t.matrix().cols()) {
                throw new TensorFormatException(overlay.description() + ": the factors of " + name + " multiply to ["
                        + product.a().rows() + ", " + product.b().cols() + "], the tensor is " + t.shapeText());
            }
            replacements.put(name, product.productAsFloats());
        });
        return withAll(replacements);
    }

    /** This state without the overlay of {@code name} (the base tensor again). */
    public ModelState without(String name) {
        Map<String, float[]> rest = new HashMap<>(overlays);
        rest.remove(name);
        return new ModelState(base, rest);
    }

    /**
     * The first stage whose input differs between this state and {@code other}: stage l &lt; L is the input
     * of decoder layer l, stage L the input of the final norm and head. Hidden states cached at stages
     * up to the returned value are valid for both states. Returns 0 when the embeddings differ (or the
     * states have different bases) and L + 1 when the states are the same.
     */
    public int firstChangedStage(ModelState other) {
        int layerCount = base.config().numHiddenLayers();
        if (other.base != base) {
            return 0;
        }
        Set<String> names = new HashSet<>(overlays.keySet());
        names.addAll(other.overlays.keySet());
        int first = layerCount + 1;
        for (String name : names) {
            if (overlays.get(name) != other.overlays.get(name)) {
                first = Math.min(first, stageOf(base.tensor(name), layerCount));
            }
        }
        return first;
    }

    private static int stageOf(BoundTensor t, int layerCount) {
        return switch (t.role()) {
            case EMBED -> 0;
            case FINAL_NORM, LM_HEAD -> layerCount;
            default -> t.layer();
        };
    }

    LayerWeights layer(int l) {
        return layers[l];
    }

    WeightMatrix embed() {
        return embed;
    }

    WeightMatrix lmHead() {
        return lmHead;
    }

    float[] finalNorm() {
        return finalNorm;
    }
}
