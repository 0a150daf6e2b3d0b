package dev.lasermesh.cli;

import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.Protocol;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** The perplexity options shared by {@code eval} and {@code run} (DESIGN §3.2). */
public final class EvaluationOptions {

    @Option(names = "--text", paramLabel = "FILE",
            description = "UTF-8 evaluation text (required; repeatable: windows of all texts are pooled).")
    List<Path> texts = List.of();

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "laserrmt",
            description = "laserrmt, sliding or chunked-bos (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--window", paramLabel = "L", defaultValue = "128", description = "Window length L in tokens (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", paramLabel = "S", description = "sliding only: stride (default: half the window).")
    Integer stride;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Use only the first N tokens of each text (default: all of them).")
    Integer maxTokens;

    @Option(names = "--memory-budget", paramLabel = "SIZE", converter = OptionValues.ByteSize.class,
            description = "Heap the BF16/F16 weights may take widened to float32, as for -Xmx (e.g. 6g, 512m); a model"
                    + " that widens to more stays in the memory-mapped file and is widened matrix by matrix into a"
                    + " cache of this size, with the same results (default: half the maximum heap).")
    Long memoryBudget;

    /** The memory budget for widened weights, in bytes: the option or the default. */
    public long memoryBudget() {
        return memoryBudget == null ? DecoderWeights.defaultMemoryBudget() : memoryBudget;
    }

    /** The validated protocol spec. */
    public ProtocolSpec spec() {
        return ProtocolSpec.of(Protocol.fromName(protocol), window,
                stride == null ? OptionalInt.empty() : OptionalInt.of(stride),
                maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens));
    }
}
