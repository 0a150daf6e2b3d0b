package dev.lasermesh.cli;

import dev.lasermesh.core.eval.EvalOptions;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.perplexity.PerplexityResult;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lasermesh eval}: perplexity of a model on text files under one protocol. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Perplexity of a Llama/Mistral/Qwen2 model folder on text files (Java forward pass).")
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A Hugging Face model folder (config, tokenizer, "
            + "safetensors), or its weights file; a reduce --factored output is read with its factors multiplied out.")
    Path model;

    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--overlay", paramLabel = "DIR",
            description = "Evaluate MODEL with the tensors of this folder or file (e.g. a reduced model, dense or "
                    + "factored) in place of its own (default: none).")
    Path overlay;

    @Option(names = "--threads", paramLabel = "N", converter = OptionValues.PositiveInt.class,
            description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        EvalOptions options = new EvalOptions(model, evaluation.texts, evaluation.spec(), Optional.ofNullable(overlay),
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        PerplexityResult result;
        try (ProgressBar bar = ProgressBar.onStderr("eval", 0)) {
            result = Evaluation.run(options, (done, total) -> {
                bar.total(total);
                bar.set(done, "windows");
            });
        }
        System.out.print(format == OutputFormat.json ? result.toJson() + System.lineSeparator() : result.toTable());
        return 0;
    }
}
