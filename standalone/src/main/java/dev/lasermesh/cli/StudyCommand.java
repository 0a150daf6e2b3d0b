package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.analysis.SearchCandidates;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.study.FactoredLaserMatrix;
import dev.lasermesh.core.study.LaserChoice;
import dev.lasermesh.core.study.LaserMatrix;
import dev.lasermesh.core.study.QuantizationStudy;
import dev.lasermesh.core.study.StudyResult;
import dev.lasermesh.core.study.StudyRow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lasermesh study}: studies that evaluate many variants of a model and print a table. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Studies: evaluate variants of a model and tabulate what they cost and how they score.",
        subcommands = {StudyCommand.Quantization.class, StudyLoraCommand.class, StudyMethodsCommand.class})
final class StudyCommand {

    /** LASER composed with ggml quantization: bytes, compression and perplexity of nine variants. */
    @Command(name = "quantization", mixinStandardHelpOptions = true,
            description = "Base, LASER, Q8_0, Q4_0, LASER+Q8_0, LASER+Q4_0 and factored LASER with F32/Q8_0/Q4_0 "
                    + "factors: bytes, compression and perplexity of each. LASER comes from --laser-from REPORT "
                    + "(a lasermesh-report.json) or, by default, a laserrmt-greedy search on the same text.")
    static final class Quantization implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "MODEL", description = "A Hugging Face model folder.")
        Path model;

        @Mixin
        EvaluationOptions evaluation;

        @Option(names = "--laser-from", paramLabel = "REPORT",
                description = "lasermesh-report.json of a run or reduce: its replaced matrices and ranks are the LASER "
                        + "part. Default: a laserrmt-greedy search on the texts.")
        Path laserFrom;

        @Option(names = "--threads", description = "Worker threads for evaluation (default: available processors).")
        Integer threads;

        @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat format;

        @Override
        public Integer call() {
            if (evaluation.texts.isEmpty()) {
                throw new InvalidInputException("study quantization: at least one evaluation text is needed (--text FILE)");
            }
            ProtocolSpec protocol = evaluation.spec();
            int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            LinearAlgebra linearAlgebra = LinearAlgebras.create();
            StudyResult result;
            try (ModelSource source = ModelSource.open(model);
                 TextTokenizer tokenizer = TextTokenizer.load(Evaluation.modelFolder(source))) {
                ModelConfig config = source.decoderConfig();
                LaserChoice laser = laserFrom == null ? null : LaserChoice.fromReport(laserFrom);
                DecoderWeights weights = DecoderWeights.bind(config, source.tensors(), RankMap.NONE,
                        evaluation.memoryBudget());
                WindowPlan plan = Evaluation.plan(config, tokenizer, evaluation.texts, protocol);
                if (laser == null) {
                    laser = search(source, weights, plan, linearAlgebra, workers);
                }
                QuantizationStudy study = new QuantizationStudy(source, laser, linearAlgebra);
                Map<String, Object> described = new LinkedHashMap<>();
                described.put("protocol", protocol.protocol().cliName());
                described.put("window", protocol.window());
                described.put("windows", plan.windows().size());
                described.put("texts", evaluation.texts.stream().map(Path::toString).toList());
                try (PerplexityEvaluator evaluator = new PerplexityEvaluator(weights, plan, workers, 0);
                     ProgressBar bar = ProgressBar.onStderr("study", QuantizationStudy.variants().size())) {
                    result = study.evaluate((variant, w) -> {
                        double ppl = evaluator.evaluate(weights.baseState().withAll(w.overlays()), EvalProgress.NONE)
                                .perplexity();
                        bar.advance(1, variant.name());
                        return ppl;
                    }, described);
                }
            }
            if (format == OutputFormat.json) {
                System.out.println(ReportJson.write(result));
            } else {
                print(result);
            }
            return 0;
        }

        /** The default LASER part: laserRMT's greedy scan with its defaults, on the study's windows. */
        private static LaserChoice search(ModelSource source, DecoderWeights weights, WindowPlan plan,
                                          LinearAlgebra linearAlgebra, int workers) {
            List<MatrixAnalysis> analyses = AnalyzeCommand.analyzeAll(source, source.catalogue().select(null,
                    String.join(",", LaserRmtGreedySpec.DEFAULT_TYPES)), new MatrixAnalyzer(linearAlgebra,
                    RankPolicySpec.named(LaserRmtPolicy.NAME).toPolicy()));
            List<MatrixAnalysis> usable = analyses.stream().filter(MatrixAnalysis::succeeded).toList();
            SearchOutcome outcome;
            try (LocalSearch local = new LocalSearch(source, weights, plan, new MatrixTruncator(linearAlgebra), usable,
                    workers, 1L << 30, 1L << 30);
                 ProgressBar bar = ProgressBar.onStderr(LaserRmtGreedySpec.NAME, usable.size() + 1)) {
                outcome = local.run(LaserRmtGreedySpec.withDefaults(SearchCandidates.of(usable)),
                        (request, ppl, trace) -> bar.advance(1, trace.isEmpty() ? "baseline"
                                : trace.getLast().matrix()));
            }
            return new LaserChoice("laserrmt-greedy search (policy laserrmt, laserRMT's defaults) on the study's "
                    + "windows", outcome.accepted().stream().map(c -> new LaserMatrix(c.matrix(), c.rank())).toList());
        }

        private static void print(StudyResult result) {
            System.out.println("model " + result.model() + ", " + result.evaluation().get("protocol") + " protocol, "
                    + result.evaluation().get("windows") + " windows of " + result.evaluation().get("window"));
            System.out.println("LASER from " + result.laser().source() + ": " + (result.laser().matrices().isEmpty()
                    ? "no matrix" : result.laser().matrices().stream().map(m -> m.name() + " k=" + m.rank())
                            .collect(Collectors.joining(", "))));
            TextTable table = new TextTable("variant", "linear bytes", "model bytes", "compression", "perplexity",
                    "vs base");
            for (StudyRow row : result.rows()) {
                table.row(row.variant().name(), String.format(Locale.ROOT, "%,d", row.linearBytes()),
                        String.format(Locale.ROOT, "%,d", row.modelBytes()),
                        String.format(Locale.ROOT, "%.3fx", row.compression()),
                        String.format(Locale.ROOT, "%.6f", row.perplexity()),
                        String.format(Locale.ROOT, "%+.3f%%", 100 * row.perplexityChange()));
            }
            table.print(System.out);
            result.rows().stream().filter(r -> !r.factoredMatrices().isEmpty()).reduce((a, b) -> b).ifPresent(r -> {
                System.out.println("factors of " + r.variant().name() + " (kept in the dtype when the row length "
                        + "is not a multiple of 32):");
                for (FactoredLaserMatrix m : r.factoredMatrices()) {
                    System.out.printf(Locale.ROOT, "  %s k=%d: sqrt(S)Vt %dx%d %s, U*sqrt(S) %dx%d %s, %,d bytes%n",
                            m.name(), m.rank(), m.first().rows(), m.first().cols(), m.first().format(),
                            m.second().rows(), m.second().cols(), m.second().format(), m.bytes());
                }
            });
            System.out.println("compression: linear matrices against the base model's; perplexities from "
                    + "Lasermesh's float32 forward on the dequantized weights");
        }
    }
}
