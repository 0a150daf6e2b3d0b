package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;

/**
 * A family under one config.json: the sizes its shape rules take and whether the output head is
 * tied. This is what a {@link dev.lasermesh.core.model.MatrixCatalogue} is checked against.
 *
 * @param family     the family
 * @param config     the config.json
 * @param dimensions the sizes read from it
 * @param headTied   whether the family's {@link TiedHead} applies (false when the family has none)
 */
public record Architecture(ModelFamily family, ConfigFile config, Dimensions dimensions, boolean headTied) {

    /** The config field every family's layer count comes from. */
    public static final String LAYERS = "num_hidden_layers";

    /** Number of layers. */
    public int layers() {
        return dimensions.intValue(LAYERS);
    }

    /** Number of experts per layer; 0 for a family without experts. */
    public int experts() {
        return family.expertCount().map(dimensions::intValue).orElse(0);
    }

    /** The shape config.json implies for {@code tensor}. */
    public long[] shape(TensorSpec tensor) {
        return tensor.shape(dimensions);
    }

    /** How that shape follows from config.json, for messages. */
    public String derivation(TensorSpec tensor) {
        return tensor.derivation(dimensions);
    }
}
