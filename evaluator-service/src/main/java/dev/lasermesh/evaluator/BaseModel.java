package dev.lasermesh.evaluator;

import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.List;

/**
 * A base model opened for evaluation: its memory-mapped tensors bound to the decoder's roles, and its
 * tokenizer. Every model state an evaluator scores overlays these weights.
 */
final class BaseModel implements AutoCloseable {

    private final ModelSource source;
    private final ModelConfig config;
    private final DecoderWeights weights;
    private final TextTokenizer tokenizer;

    private BaseModel(ModelSource source, ModelConfig config, DecoderWeights weights, TextTokenizer tokenizer) {
        this.source = source;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
    }

    /**
     * Opens a Hugging Face model folder.
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the folder or file when config.json,
     *                                                   the weights or the tokenizer are missing or unusable
     */
    static BaseModel open(Path folder) {
        ModelSource source = ModelSource.open(folder);
        try {
            ModelConfig config = source.decoderConfig();
            DecoderWeights weights = DecoderWeights.bind(config, source.tensors());
            return new BaseModel(source, config, weights, TextTokenizer.load(folder));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    DecoderWeights weights() {
        return weights;
    }

    /** The windows {@code protocol} makes of {@code texts} (tokenized whole, with this model's tokenizer). */
    synchronized WindowPlan plan(List<Path> texts, ProtocolSpec protocol) {
        return Evaluation.plan(config, tokenizer, texts, protocol);
    }

    @Override
    public void close() {
        tokenizer.close();
        source.close();
    }
}
