package dev.lasermesh.evaluator;

import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.EvaluationModel;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * A base model opened for evaluation: its memory-mapped tensors bound to the decoder's roles, and its
 * tokenizer. Every model state an evaluator scores overlays these weights. A factored model folder
 * ({@code reduce --factored}) is read as the standalone's {@code eval} reads it.
 */
final class BaseModel implements AutoCloseable {

    private final EvaluationModel model;

    private BaseModel(EvaluationModel model) {
        this.model = model;
    }

    /**
     * Opens a Hugging Face model folder.
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the folder or file when config.json,
     *                                                   the weights or the tokenizer are missing or unusable
     */
    static BaseModel open(Path folder) {
        return new BaseModel(EvaluationModel.open(folder));
    }

    DecoderWeights weights() {
        return model.weights();
    }

    /** The windows {@code protocol} makes of {@code texts} (tokenized whole, with this model's tokenizer). */
    synchronized WindowPlan plan(List<Path> texts, ProtocolSpec protocol) {
        return Evaluation.plan(model.config(), model.tokenizer(), texts, protocol);
    }

    @Override
    public void close() {
        model.close();
    }
}
