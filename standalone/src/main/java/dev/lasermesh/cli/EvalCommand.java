package dev.lasermesh.cli;

import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.eval.EvalOptions;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.EncoderState;
import dev.lasermesh.core.eval.perplexity.PerplexityResult;
import dev.lasermesh.core.eval.task.EncoderModel;
import dev.lasermesh.core.eval.task.KnnAccuracy;
import dev.lasermesh.core.eval.task.TaskEvaluator;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.eval.task.TaskReport;
import dev.lasermesh.core.eval.task.TaskSplit;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lasermesh eval}: perplexity of a model on text files under one protocol. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Perplexity of a Llama/Mistral/Qwen2 model folder on text files, or knn-accuracy of a BERT "
                + "sentence encoder on a task folder (Java forward pass).")
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

    @Mixin
    TaskOptions task;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "With --task: test (each test example among train) or train-loo (leave-one-out on train)"
                    + " (default: ${DEFAULT-VALUE}).")
    String split;

    @Override
    public Integer call() {
        if (task.given()) {
            try (ModelSource source = ModelSource.open(model)) {
                task.requireFits(source, model, !evaluation.texts.isEmpty());
                return evalTask(source);
            }
        }
        EvalOptions options = new EvalOptions(model, evaluation.texts, evaluation.spec(), Optional.ofNullable(overlay),
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, evaluation.memoryBudget());
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

    private int evalTask(ModelSource source) {
        TaskSplit taskSplit = TaskSplit.fromName(split);
        TaskFolder folder = TaskFolder.read(task.task);
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        KnnAccuracy.Score score;
        try (EncoderModel encoder = EncoderModel.of(source);
             TaskEvaluator evaluator = new TaskEvaluator(encoder, folder, workers, 0)) {
            EncoderState state = encoder.weights().baseState();
            if (overlay != null) {
                try (TensorSource tensors = TensorSources.open(overlay)) {
                    for (TensorInfo t : tensors.tensors()) {
                        state = state.with(t.name(), tensors.readFloats(t.name()));
                    }
                }
            }
            score = evaluator.score(state, taskSplit);
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(TaskReport.score(taskSplit, score)));
        } else {
            System.out.printf(Locale.ROOT, "%s (%s): %.4f (%d of %d correct)%n", TaskOptions.METRIC,
                    taskSplit.cliName(), score.accuracy(), score.correct(), score.examples());
        }
        return 0;
    }
}
