package dev.lasermesh.core.eval;

import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.PerplexityResult;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.TokenizedText;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code lasermesh eval}: the perplexity of a model folder (optionally with replaced tensors) on text
 * files under one protocol. Options in, result out; every input error surfaces as an
 * {@link dev.lasermesh.core.InvalidInputException} with a one-line message.
 */
public final class Evaluation {

    private Evaluation() {
    }

    /** Tokenizes the texts, builds the protocol's windows and scores them, reporting progress per window. */
    public static PerplexityResult run(EvalOptions options, EvalProgress progress) {
        try (EvaluationModel model = EvaluationModel.open(options.model(), options.memoryBudget())) {
            DecoderWeights weights = model.weights();
            WindowPlan plan = plan(model.config(), model.tokenizer(), options.texts(), options.protocol());
            ModelState state = options.overlay().map(p -> withOverlay(weights.baseState(), p)).orElse(weights.baseState());
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan, options.threads(), 0)) {
                return evaluator.evaluate(state, progress);
            }
        }
    }

    /**
     * The folder of an opened model, where its tokenizer is: the model is a folder, or its weights file
     * (then the folder beside it applies, as {@link ModelSource} opens it).
     *
     * @throws ModelConfigException naming the path when the model has no config.json, e.g. a bare
     *                              safetensors file
     */
    public static Path modelFolder(ModelSource model) {
        return model.config().map(c -> c.source().toAbsolutePath().getParent())
                .orElseThrow(() -> new ModelConfigException(model.path() + ": no " + ModelSource.CONFIG_FILE
                        + " beside it; evaluation needs a Hugging Face model folder (config.json, tokenizer.json"
                        + " and the weights)"));
    }

    /**
     * The windows of {@code texts} under {@code protocol}: each text tokenized with the model's
     * tokenizer, BOS placed as the protocol says.
     */
    public static WindowPlan plan(ModelConfig config, TextTokenizer tokenizer, List<Path> texts,
                                  ProtocolSpec protocol) {
        List<TokenizedText> tokenized = texts.stream().map(p -> EvaluationText.read(p, tokenizer)).toList();
        return WindowPlan.of(protocol, tokenized, bosTokenId(config));
    }

    private static int bosTokenId(ModelConfig config) {
        return config.bosTokenId().orElseThrow(() -> new ModelConfigException(config.source()
                + ": field \"bos_token_id\" is missing; every perplexity protocol starts its windows with BOS"));
    }

    /** The model with the tensors of {@code overlay} (a file or folder; a factored folder multiplied out). */
    private static ModelState withOverlay(ModelState base, Path overlay) {
        try (TensorSource tensors = TensorSources.open(overlay)) {
            return base.withTensorsOf(tensors, RankMap.of(overlay));
        }
    }
}
