package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.task.EncoderModel;
import dev.lasermesh.core.eval.task.TaskEvaluator;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.eval.task.TaskReport;
import dev.lasermesh.core.eval.task.TaskSearch;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.reduce.OutputFolder;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.ReductionReport;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lasermesh run}: one whole job in this process — analyse the selected matrices, search which
 * reductions to keep by perplexity (laserRMT's greedy scan by default), write the reduced model and
 * its report, and print perplexity before and after with the ranks chosen.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Analyse, search by perplexity (decoders) or by knn-accuracy on a task (encoders, --task), and "
                + "write the reduced model with its report (one job, in process).")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A Hugging Face model folder, or its weights file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output model folder: absent, empty or an earlier output, outside the inputs (required).")
    Path out;

    @Mixin
    SearchOptions search;

    @Mixin
    SelectionOptions selection;

    @Mixin
    PolicyOptions policy;

    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--factored", description = "Store reduced matrices as two factors (see reduce --help).")
    boolean factored;

    @Mixin
    QuantizeOption quantize;

    @Option(names = "--threads", paramLabel = "N", converter = OptionValues.PositiveInt.class,
            description = "Worker threads for evaluation (default: available processors).")
    Integer threads;

    @Option(names = "--eval-cache-mb", paramLabel = "MB", defaultValue = "1024",
            converter = OptionValues.NonNegativeLong.class,
            description = "Memory bound of the hidden-state cache for incremental evaluation; 0 turns it off "
                    + "(default: ${DEFAULT-VALUE} MB).")
    long cacheMegabytes;

    @Mixin
    TaskOptions task;

    @Mixin
    MethodOption method;

    @Mixin
    CalibrationOptions calibration;

    @Override
    public Integer call() {
        if (task.given()) {
            return runTask();
        }
        if (evaluation.texts.isEmpty()) {
            throw new InvalidInputException("run: at least one evaluation text is needed (--text FILE), or a task"
                    + " folder for an encoder (--task DIR)");
        }
        List<Path> inputs = new ArrayList<>(evaluation.texts);
        inputs.add(model);
        OutputFolder.claim(out, inputs);
        long start = System.nanoTime();
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        ProtocolSpec protocol = evaluation.spec();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        try (ModelSource source = ModelSource.open(model);
             TextTokenizer tokenizer = TextTokenizer.load(Evaluation.modelFolder(source))) {
            ModelConfig config = source.decoderConfig();
            DecoderWeights weights = DecoderWeights.bind(config, source.tensors(), RankMap.NONE,
                    evaluation.memoryBudget());
            WindowPlan plan = Evaluation.plan(config, tokenizer, evaluation.texts, protocol);
            List<String> searchOrder = source.catalogue().family().orElseThrow().searchOrder();
            List<MatrixRef> quantized = quantize.scheme().isPresent() ? selection.select(source.catalogue()) : List.of();
            quantize.check(model.toString(), quantized);
            List<MatrixRef> selected = search.selectionDefaults(selection, searchOrder).select(source.catalogue());
            Path scratch = CalibrationOptions.scratchFolder();
            ReductionReport report;
            try {
                Optional<MethodDecompositions> decompositions = method.decompositions(calibration,
                        () -> calibration.statistics(config, tokenizer, weights, selected, workers, scratch),
                        linearAlgebra);
                List<MatrixAnalysis> analyses = AnalyzeCommand.analyzeAll(source, selected, decompositions
                        .map(d -> new MatrixAnalyzer(linearAlgebra, policy.toPolicy(), new MethodTruncation(d)))
                        .orElseGet(() -> new MatrixAnalyzer(linearAlgebra, policy.toPolicy())));
                List<MatrixAnalysis> usable = analyses.stream().filter(MatrixAnalysis::succeeded).toList();
                analyses.stream().filter(a -> !a.succeeded())
                        .forEach(a -> System.err.println("lasermesh: skipped: " + a.error().orElseThrow()));
                SearchOutcome outcome;
                SearchSplitBaseline searchBaseline = new SearchSplitBaseline();
                MatrixTruncator truncator = new MatrixTruncator(linearAlgebra,
                        decompositions.map(MethodTruncation::new).orElse(null));
                try (LocalSearch local = new LocalSearch(source, weights, plan, truncator, usable, workers,
                        cacheMegabytes << 20, 1L << 30);
                     ProgressBar bar = ProgressBar.onStderr(search.strategy, search.expectedEvaluations(usable))) {
                    outcome = local.run(search.spec(usable, searchOrder), (request, ppl, trace) -> {
                        searchBaseline.observe(request, ppl);
                        bar.advance(1, trace.isEmpty() ? "baseline ppl " + format(ppl) : describe(trace.getLast()));
                    });
                }
                List<MatrixAnalysis> accepted = search.acceptedAnalyses(outcome, usable);
                Optional<MethodTruncation> written = decompositions.map(MethodTruncation::new);
                try (ProgressBar bar = ProgressBar.onStderr("write", accepted.size())) {
                    report = new ReducedModelWriter(linearAlgebra, new MatrixTruncator(linearAlgebra,
                            written.orElse(null))).write(source, accepted,
                            factored ? StorageForm.FACTORED : StorageForm.DENSE, out,
                            AnalysisReport.policyView(policy.spec()), (done, total, name) -> bar.set(done, name));
                }
                Map<String, Object> evaluationJson = new LinkedHashMap<>();
                evaluationJson.put("protocol", protocol.protocol().cliName());
                evaluationJson.put("window", protocol.window());
                evaluationJson.put("windows", plan.windows().size());
                evaluationJson.put("split", outcome.split().label());
                evaluationJson.put("before", outcome.baselinePerplexity());
                evaluationJson.put("after", outcome.finalPerplexity());
                searchBaseline.value().ifPresent(base -> {
                    evaluationJson.put("search_split", Split.VALIDATION.label());
                    evaluationJson.put("search_before", base);
                    evaluationJson.put("search_after", outcome.searchSplitFinal(base));
                });
                report = report.withEvaluation(outcome, evaluationJson);
                if (written.isPresent()) {
                    report = report.withMethod(written.get().report());
                }
                ReducedModelWriter.writeReport(out, report);
                print(outcome, protocol, searchBaseline, (System.nanoTime() - start) / 1e9);
            } finally {
                CalibrationOptions.delete(scratch);
            }
            quantize.apply(report, out, quantized);
        }
        return 0;
    }

    /**
     * An encoder searched by {@code knn-accuracy}: the search compares on train-LOO, the base and the
     * final model are reported on test too (DESIGN §7.1).
     */
    private int runTask() {
        if (!evaluation.texts.isEmpty()) {
            throw new InvalidInputException("--task and --text exclude each other");
        }
        if (quantize.scheme().isPresent()) {
            throw new InvalidInputException("--quantize is not available with --task (encoders)");
        }
        if (calibration.given() || !"svd".equals(method.method)) {
            throw new InvalidInputException("--method and --calibration are not available with --task (encoders): "
                    + "calibration runs the decoder forward pass");
        }
        OutputFolder.claim(out, List.of(model, task.task));
        long start = System.nanoTime();
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        TaskFolder folder = TaskFolder.read(task.task);
        try (ModelSource source = ModelSource.open(model)) {
            task.requireFits(source, model, false);
            List<String> searchOrder = source.catalogue().family().orElseThrow().searchOrder();
            List<MatrixAnalysis> analyses = AnalyzeCommand.analyzeAll(source,
                    search.selectionDefaults(selection, searchOrder).select(source.catalogue()),
                    new MatrixAnalyzer(linearAlgebra, policy.toPolicy()));
            List<MatrixAnalysis> usable = analyses.stream().filter(MatrixAnalysis::succeeded).toList();
            analyses.stream().filter(a -> !a.succeeded())
                    .forEach(a -> System.err.println("lasermesh: skipped: " + a.error().orElseThrow()));
            TaskSearch.Result result;
            try (EncoderModel encoder = EncoderModel.of(source);
                 TaskEvaluator evaluator = new TaskEvaluator(encoder, folder, workers, cacheMegabytes << 20);
                 ProgressBar bar = ProgressBar.onStderr(search.strategy, search.expectedEvaluations(usable))) {
                result = new TaskSearch(source, encoder, evaluator, new MatrixTruncator(linearAlgebra), usable)
                        .run(search.spec(usable, searchOrder), (request, score, trace) -> bar.advance(1,
                                trace.isEmpty() ? "baseline " + score.correct() + "/" + score.examples()
                                        : describe(trace.getLast(), TaskOptions.METRIC)));
            }
            SearchOutcome outcome = result.outcome();
            List<MatrixAnalysis> accepted = search.acceptedAnalyses(outcome, usable);
            ReductionReport report;
            try (ProgressBar bar = ProgressBar.onStderr("write", accepted.size())) {
                report = new ReducedModelWriter(linearAlgebra).write(source, accepted,
                        factored ? StorageForm.FACTORED : StorageForm.DENSE, out,
                        AnalysisReport.policyView(policy.spec()), (done, total, name) -> bar.set(done, name));
            }
            Map<String, Object> evaluationJson = TaskReport.evaluation(task.task.toString(), outcome,
                    result.baselineTest(), result.finalTest());
            report = report.withEvaluation(outcome, evaluationJson);
            ReducedModelWriter.writeReport(out, report);
            printTask(result, folder, (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    private void printTask(TaskSearch.Result result, TaskFolder folder, double seconds) {
        SearchOutcome outcome = result.outcome();
        System.out.printf(Locale.ROOT, "strategy %s, policy %s, metric %s on %s (search: train-loo, report: test)%n",
                search.strategy, AnalyzeCommand.policyLabel(AnalysisReport.policyView(policy.spec())),
                TaskOptions.METRIC, folder.folder());
        TextTable table = new TextTable("#", "matrix", "rank", "accuracy", "compared with", "decision");
        for (var e : outcome.trace()) {
            table.row(e.order(), e.matrix(), e.rank(), format(e.perplexity()), format(e.comparedWith()),
                    e.accepted() ? "accepted" : "rejected");
        }
        table.print(System.out);
        System.out.printf(Locale.ROOT, "%s train-loo before %s, after %s; test before %s (%d/%d), after %s (%d/%d)%n",
                TaskOptions.METRIC, format(outcome.baselinePerplexity()), format(outcome.finalPerplexity()),
                format(result.baselineTest().accuracy()), result.baselineTest().correct(),
                result.baselineTest().examples(), format(result.finalTest().accuracy()),
                result.finalTest().correct(), result.finalTest().examples());
        System.out.println("ranks chosen: " + (outcome.accepted().isEmpty() ? "none (no reduction improved the metric)"
                : outcome.accepted().stream().map(c -> c.layer() + "." + c.module() + "=" + c.rank())
                        .collect(Collectors.joining(", "))));
        System.out.printf(Locale.ROOT, "%d evaluations in %.1f s%n", outcome.trace().size() + 3, seconds);
        System.out.println("report: " + out.resolve(ReducedModelWriter.REPORT_FILE));
    }

    private static String describe(dev.lasermesh.core.search.TraceEntry e) {
        return describe(e, "ppl");
    }

    private static String describe(dev.lasermesh.core.search.TraceEntry e, String metric) {
        return e.layer() + "." + e.module() + " k=" + e.rank() + " " + metric + " " + format(e.perplexity())
                + (e.accepted() ? " accepted" : " rejected");
    }

    private void print(SearchOutcome outcome, ProtocolSpec protocol, SearchSplitBaseline searchBaseline,
                       double seconds) {
        System.out.printf(Locale.ROOT, "strategy %s, policy %s, protocol %s (window %d)%n", search.strategy,
                AnalyzeCommand.policyLabel(AnalysisReport.policyView(policy.spec())), protocol.protocol().cliName(),
                protocol.window());
        TextTable table = new TextTable("#", "matrix", "rank", "perplexity", "compared with", "decision");
        for (var e : outcome.trace()) {
            table.row(e.order(), e.matrix(), e.rank(), format(e.perplexity()), format(e.comparedWith()),
                    e.accepted() ? "accepted" : "rejected");
        }
        table.print(System.out);
        searchBaseline.value().ifPresent(base -> System.out.printf(Locale.ROOT,
                "search split (first %s of the windows): perplexity before %s, after %s%n",
                search.validationFraction, format(base), format(outcome.searchSplitFinal(base))));
        System.out.printf(Locale.ROOT, "%sperplexity before %s, after %s (%+.4f%%)%n",
                outcome.split() == Split.REPORT ? "report split (the other windows): " : "",
                format(outcome.baselinePerplexity()), format(outcome.finalPerplexity()),
                100 * (outcome.finalPerplexity() / outcome.baselinePerplexity() - 1));
        Set<String> names = outcome.accepted().stream().map(Candidate::matrix).collect(Collectors.toSet());
        System.out.println("ranks chosen: " + (names.isEmpty() ? "none (no reduction improved perplexity)"
                : outcome.accepted().stream().map(c -> c.layer() + "." + c.module() + "=" + c.rank())
                        .collect(Collectors.joining(", "))));
        System.out.printf(Locale.ROOT, "%d evaluations in %.1f s%n", outcome.trace().size() + 1, seconds);
        System.out.println("report: " + out.resolve(ReducedModelWriter.REPORT_FILE));
    }

    private static String format(double ppl) {
        return String.format(Locale.ROOT, "%.6f", ppl);
    }
}
