package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.tensor.TensorFormatException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A base encoder plus replaced tensors (overlays), as {@link ModelState} is for the decoder: a search
 * builds one state per candidate without copying the model. Overlay arrays are used as given; two
 * states differ in a tensor when they hold different arrays for it (identity), which is what the
 * hidden-state cache compares.
 */
public final class EncoderState {

    private final EncoderWeights base;
    private final Map<String, float[]> overlays;

    EncoderState(EncoderWeights base, Map<String, float[]> overlays) {
        this.base = base;
        this.overlays = Map.copyOf(overlays);
    }

    public EncoderWeights base() {
        return base;
    }

    /**
     * This state with {@code name} replaced by {@code values} (row-major float32, as many values as the
     * tensor has).
     *
     * @throws TensorFormatException naming the tensor when it is not part of the encoder, the length is
     *                               wrong or a value is not finite
     */
    public EncoderState with(String name, float[] values) {
        EncoderWeights.Tensor t = base.tensor(name);
        if (values.length != t.elementCount()) {
            throw new TensorFormatException("overlay for " + name + " has " + values.length + " values, the tensor has "
                    + t.elementCount());
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new TensorFormatException("overlay for " + name + " holds a NaN or infinite value at element " + i);
            }
        }
        Map<String, float[]> merged = new HashMap<>(overlays);
        merged.put(name, values);
        return new EncoderState(base, merged);
    }

    /**
     * The first stage whose input differs between this state and {@code other} (stage l = input of layer
     * l; 0 when the embeddings differ or the bases do; L + 1 when the states are the same).
     */
    public int firstChangedStage(EncoderState other) {
        int layers = base.config().layers();
        if (other.base != base) {
            return 0;
        }
        Set<String> names = new HashSet<>(overlays.keySet());
        names.addAll(other.overlays.keySet());
        int first = layers + 1;
        for (String name : names) {
            if (overlays.get(name) != other.overlays.get(name)) {
                first = Math.min(first, Math.max(0, base.tensor(name).layer()));
            }
        }
        return first;
    }

    /** A matrix of a layer (−1: model-wide), overlay applied. */
    WeightMatrix matrix(String key, int layer) {
        WeightMatrix m = base.tensor(key, layer).matrix();
        float[] replaced = overlays.get(m.name());
        return replaced == null ? m : WeightMatrix.ofArray(m.name(), m.rows(), m.cols(), replaced);
    }

    /** A vector (bias, norm) of a layer (−1: model-wide), overlay applied. */
    float[] vector(String key, int layer) {
        EncoderWeights.Tensor t = base.tensor(key, layer);
        return overlays.getOrDefault(t.name(), t.vector());
    }
}
