package dev.lasermesh.core.eval;

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
 */
public record EvalOptions(Path model, List<Path> texts, ProtocolSpec protocol, Optional<Path> overlay, int threads) {

    public EvalOptions {
        texts = List.copyOf(texts);
        if (texts.isEmpty()) {
            throw new EvalInputException("no evaluation text given (--text FILE)");
        }
        if (threads < 1) {
            throw new EvalInputException("threads must be positive, got " + threads);
        }
    }

    /** Options with no overlay and one thread per available processor. */
    public static EvalOptions of(Path model, List<Path> texts, ProtocolSpec protocol) {
        return new EvalOptions(model, texts, protocol, Optional.empty(), Runtime.getRuntime().availableProcessors());
    }
}
