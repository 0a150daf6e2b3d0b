package dev.lasermesh.core.eval;

import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.MatrixCatalogue;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModelFamily;
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
     * Opens a model folder, or the folder of its weights file.
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the path when it is no model folder, its
     *                                                   family has no forward pass, or config.json, the
     *                                                   weights or the tokenizer are missing or unusable
     */
    public static EvaluationModel open(Path path) {
        return open(path, DecoderWeights.defaultMemoryBudget());
    }

    /**
     * Opens a model folder, its BF16/F16 weights widened on the heap only when they fit {@code
     * memoryBudget} bytes (see {@link DecoderWeights#bind(ModelConfig, TensorSource, RankMap, long)}).
     *
     * @throws dev.lasermesh.core.InvalidInputException as {@link #open(Path)}
     */
    public static EvaluationModel open(Path path, long memoryBudget) {
        if (!Files.exists(path)) {
            throw new ModelConfigException(path + ": does not exist");
        }
        Path folder = ModelSource.modelFolderOf(path);
        if (folder == null) {
            throw new ModelConfigException(path + ": no " + ModelSource.CONFIG_FILE + (Files.isDirectory(path)
                    ? " in it" : " beside it") + "; evaluation needs a Hugging Face model folder (config.json,"
                    + " tokenizer.json and the weights)");
        }
        ConfigFile file = ConfigFile.read(folder.resolve(ModelSource.CONFIG_FILE));
        ModelFamily family = ModelFamilies.of(file).filter(ModelFamilies::scoredByPerplexity)
                .orElseThrow(() -> ModelFamilies.notScoredByPerplexity(file));
        ModelConfig config = ModelConfig.parse(file);
        TensorSource tensors = TensorSources.open(folder);
        try {
            MatrixCatalogue.rejectLayersBeyondConfig(family.architecture(file), tensors);
            DecoderWeights weights = DecoderWeights.bind(config, tensors, RankMap.of(folder), memoryBudget);
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
