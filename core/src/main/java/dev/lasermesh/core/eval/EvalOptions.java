package dev.lasermesh.core.eval;

import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code lasermesh eval} evaluates.
 *
 * @param model    a Hugging Face model folder (config.json, tokenizer.json, safetensors)
 * @param texts    UTF-8 text files; their windows are pooled
 * @param protocol protocol, window, stride, token limit
 * @param overlay  a safetensors file or model folder whose tensors replace the model's (e.g. reduced matrices)
 * @param threads  worker threads
 * @param memoryBudget bytes the BF16/F16 weights may take widened on the heap; over it they stay in the
 *                 mapped file (see {@link DecoderWeights#bind(dev.lasermesh.core.model.ModelConfig,
 *                 dev.lasermesh.core.tensor.TensorSource, dev.lasermesh.core.model.RankMap, long)})
 */
public record EvalOptions(Path model, List<Path> texts, ProtocolSpec protocol, Optional<Path> overlay, int threads,
                          long memoryBudget) {

    public EvalOptions {
        texts = List.copyOf(texts);
        if (texts.isEmpty()) {
            throw new EvalInputException("no evaluation text given (--text FILE)");
        }
        if (threads < 1) {
            throw new EvalInputException("threads must be positive, got " + threads);
        }
        if (memoryBudget < 0) {
            throw new EvalInputException("memory budget must not be negative, got " + memoryBudget);
        }
    }

    /** Options with no overlay, one thread per available processor and the default memory budget. */
    public static EvalOptions of(Path model, List<Path> texts, ProtocolSpec protocol) {
        return new EvalOptions(model, texts, protocol, Optional.empty(), Runtime.getRuntime().availableProcessors(),
                DecoderWeights.defaultMemoryBudget());
    }
}
