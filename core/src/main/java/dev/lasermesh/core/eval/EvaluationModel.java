package dev.lasermesh.core.eval;

import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face model folder opened for the forward pass: its config, its memory-mapped tensors bound
 * to the decoder's roles and its tokenizer. A factored folder ({@code reduce --factored}, with
 * {@value RankMap#FILE}) is read natively: its factored matrices are multiplied out once.
 */
public final class EvaluationModel implements AutoCloseable {

    private final ModelConfig config;
    private final TensorSource tensors;
    private final DecoderWeights weights;
    private final TextTokenizer tokenizer;

    private EvaluationModel(ModelConfig config, TensorSource tensors, DecoderWeights weights, TextTokenizer tokenizer) {
        this.config = config;
        this.tensors = tensors;
        this.weights = weights;
        this.tokenizer = tokenizer;
    }

    /**
     * Opens a model folder.
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the folder or file when it is not a folder
     *                                                   or config.json, the weights or the tokenizer are
     *                                                   missing or unusable
     */
    public static EvaluationModel open(Path folder) {
        if (!Files.isDirectory(folder) || !Files.isRegularFile(folder.resolve(ModelSource.CONFIG_FILE))) {
            throw new ModelConfigException(folder + (Files.isDirectory(folder) ? ": no " + ModelSource.CONFIG_FILE
                    : ": not a folder") + " (evaluation needs a Hugging Face model folder: config.json, tokenizer.json, "
                    + "safetensors)");
        }
        ModelConfig config = ModelConfig.read(folder.resolve(ModelSource.CONFIG_FILE));
        TensorSource tensors = TensorSources.open(folder);
        try {
            DecoderWeights weights = DecoderWeights.bind(config, tensors, RankMap.of(folder));
            return new EvaluationModel(config, tensors, weights, TextTokenizer.load(folder));
        } catch (RuntimeException e) {
            tensors.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The weights; valid until this model is closed. */
    public DecoderWeights weights() {
        return weights;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public void close() {
        tokenizer.close();
        tensors.close();
    }
}
