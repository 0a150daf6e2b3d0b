package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;

/** A fixture model folder opened and bound for tests; closing it unmaps the file. */
public record LoadedModel(TensorSource source, DecoderWeights weights) implements AutoCloseable {

    /** Opens {@code folder} under the fixtures (e.g. {@code tiny-llama}). */
    public static LoadedModel fixture(String folder) {
        ModelConfig config = ModelConfig.read(Fixtures.path(folder + "/config.json"));
        TensorSource source = TensorSources.open(Fixtures.path(folder));
        return new LoadedModel(source, DecoderWeights.bind(config, source));
    }

    public ModelState base() {
        return weights.baseState();
    }

    @Override
    public void close() {
        source.close();
    }
}
