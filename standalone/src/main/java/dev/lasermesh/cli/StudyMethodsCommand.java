package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lasermesh study methods}: perplexity against parameter budget for svd, whitened and feature
 * (issue 14), all linears of the decoder layers replaced at once at each budget.
 */
@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "Perplexity against parameter budget for the methods svd (LASER), whitened (SVD-LLM) and "
                + "feature (SFSD): at each budget r every linear of the decoder layers is replaced by its rank "
                + "floor(r*m*n/(m+n)) approximation and the model is evaluated.")
final class StudyMethodsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A Hugging Face model folder.")
    Path model;

    @Mixin
    EvaluationOptions evaluation;

    @Mixin
    CalibrationOptions calibration;

    @Option(names = "--budgets", paramLabel = "R,...", split = ",", defaultValue = "0.8,0.6,0.4",
            description = "Parameter budgets r in (0, 1] (default: ${DEFAULT-VALUE}).")
    List<Double> budgets;

    @Option(names = "--threads", description = "Worker threads for evaluation (default: available processors).")
    Integer threads;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        if (evaluation.texts.isEmpty()) {
            throw new InvalidInputException("study methods: at least one evaluation text is needed (--text FILE)");
        }
        if (!calibration.given()) {
            throw new InvalidInputException("study methods: whitened and feature need calibration text (--calibration FILE)");
        }
        ProtocolSpec protocol = evaluation.spec();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        MethodStudy.Result result;
        Path scratch = CalibrationOptions.scratchFolder();
        try (ModelSource source = ModelSource.open(model);
             TextTokenizer tokenizer = TextTokenizer.load(Evaluation.modelFolder(source))) {
            ModelConfig config = source.decoderConfig();
            DecoderWeights weights = DecoderWeights.bind(config, source.tensors());
            List<MatrixRef> matrices = source.catalogue().matrices().stream()
                    .filter(m -> LinearInput.ofTensor(m.name()) != null && m.layer() >= 0)
                    .toList();
            CalibrationStore store = calibration.statistics(config, tokenizer, weights, matrices, workers, scratch);
            WindowPlan plan = Evaluation.plan(config, tokenizer, evaluation.texts, protocol);
            List<MethodDecompositions> methods = Arrays.stream(ReductionMethod.values())
                    .map(m -> new MethodDecompositions(m, store, linearAlgebra)).toList();
            try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan, workers, 0)) {
                result = MethodStudy.run(source, matrices, methods, budgets, overlays -> evaluator.evaluate(
                        weights.baseState().withAll(overlays), EvalProgress.NONE).perplexity());
            }
        } finally {
            CalibrationOptions.delete(scratch);
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(new MethodStudy.Report(model.toString(),
                    calibration.calibration.toString(), evaluation.texts.stream().map(Path::toString).toList(), result)));
        } else {
            print(result);
        }
        return 0;
    }

    private void print(MethodStudy.Result result) {
        System.out.printf(Locale.ROOT, "model %s, calibration %s, base perplexity %.6f%n", model,
                calibration.calibration, result.basePerplexity());
        TextTable table = new TextTable("method", "budget", "perplexity", "vs base", "mean act. error",
                "mean rel. weight error");
        for (MethodStudy.Row row : result.rows()) {
            table.row(row.method(), String.format(Locale.ROOT, "%.2f", row.budget()),
                    String.format(Locale.ROOT, "%.6f", row.perplexity()),
                    String.format(Locale.ROOT, "%+.2f%%", 100 * (row.perplexity() / result.basePerplexity() - 1)),
                    String.format(Locale.ROOT, "%.4f", row.meanActivationError()),
                    String.format(Locale.ROOT, "%.4f", row.meanRelativeWeightError()));
        }
        table.print(System.out);
        result.spectra().forEach((method, spectrum) -> System.out.println(method + ": rank from the " + spectrum));
    }
}
