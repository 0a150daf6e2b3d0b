package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.reduce.OutputFolder;
import dev.lasermesh.core.reduce.ReducedMatrix;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.ReductionReport;
import dev.lasermesh.core.reduce.StorageForm;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lasermesh reduce}: truncate the selected matrices by a policy and write a reduced model. */
@Command(name = "reduce", mixinStandardHelpOptions = true,
        description = {"Replace the selected matrices by their rank-k truncations and write a model folder with "
                + "lasermesh-report.json and the input's other files (README.md annotated with what changed); the folder must not contain or be "
                 + "inside the input, and it is written all or nothing.",
                "Dense (default): same tensor names, dtypes and shapes, so whatever loads the input loads the output.",
                "--factored: each reduced matrix stored as two factors; lasermesh eval reads the folder, Hugging Face "
                + "transformers loads it with trust_remote_code=True (the folder's modeling_lasermesh.py), tools "
                + "that expect the original architecture (llama.cpp converters, vLLM) do not."})
final class ReduceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model folder or a single .safetensors file.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output model folder: absent, empty or an earlier output (required).")
    Path out;

    @Mixin
    SelectionOptions selection;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--factored", description = "Store each reduced matrix as <module>.0.weight = sqrt(S)*Vt (k x in) "
            + "and <module>.1.weight = U*sqrt(S) (out x k), listed in lasermesh-ranks.json; config.json gets model_type "
            + "lasermesh_<family> and an auto_map to the folder's modeling_lasermesh.py: load it with "
            + "AutoModelForCausalLM.from_pretrained(DIR, trust_remote_code=True).")
    boolean factored;

    @Mixin
    QuantizeOption quantize;

    @Mixin
    MethodOption method;

    @Mixin
    CalibrationOptions calibration;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        OutputFolder.claim(out, List.of(model));
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        ReductionReport report;
        try (ModelSource source = ModelSource.open(model)) {
            AnalyzeCommand.printNote(source);
            List<MatrixRef> selected = selection.select(source.catalogue());
            quantize.check(model.toString(), selected);
            Path scratch = CalibrationOptions.scratchFolder();
            try {
                MethodTruncation truncation = method.decompositions(calibration,
                        () -> calibrate(source, selected, scratch), linearAlgebra).map(MethodTruncation::new).orElse(null);
                List<MatrixAnalysis> analyses = AnalyzeCommand.analyzeAll(source, selected, truncation == null
                        ? new MatrixAnalyzer(linearAlgebra, policy.toPolicy())
                        : new MatrixAnalyzer(linearAlgebra, policy.toPolicy(), truncation));
                refuseFailedAnalyses(analyses);
                long toReduce = analyses.stream().filter(ReducedModelWriter::replaces).count();
                try (ProgressBar bar = ProgressBar.onStderr("reduce", toReduce)) {
                    report = new ReducedModelWriter(linearAlgebra, new MatrixTruncator(linearAlgebra, truncation))
                            .write(source, analyses, factored ? StorageForm.FACTORED : StorageForm.DENSE, out,
                                    AnalysisReport.policyView(policy.spec()), (done, total, name) -> bar.set(done, name));
                }
                if (truncation != null) {
                    report = report.withMethod(truncation.report());
                    ReducedModelWriter.writeReport(out, report);
                }
            } finally {
                CalibrationOptions.delete(scratch);
            }
            report = quantize.apply(report, out, selected);
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(report));
        } else {
            printTable(report);
        }
        return 0;
    }

    /** The calibration statistics of the selected matrices (a calibration of the text into {@code scratch}). */
    private CalibrationStore calibrate(ModelSource source, List<MatrixRef> selected, Path scratch) {
        try (TextTokenizer tokenizer = TextTokenizer.load(Evaluation.modelFolder(source))) {
            return calibration.statistics(source.decoderConfig(), tokenizer,
                    DecoderWeights.bind(source.decoderConfig(), source.tensors()), selected,
                    Runtime.getRuntime().availableProcessors(), scratch);
        }
    }

    /**
     * A selected matrix that cannot be analysed (NaN weights, an empty tensor) is bad input: the reduced
     * model would carry it unchanged, so nothing is written; each failure is printed, then the summary.
     */
    private void refuseFailedAnalyses(List<MatrixAnalysis> analyses) {
        List<MatrixAnalysis> failed = analyses.stream().filter(a -> !a.succeeded()).toList();
        if (!failed.isEmpty()) {
            failed.forEach(a -> System.err.println("lasermesh: " + a.error().orElseThrow()));
            throw new InvalidInputException(failed.size() + " of " + analyses.size() + " selected matrices could not "
                    + "be analysed; nothing was written to " + out);
        }
    }

    private static void printTable(ReductionReport report) {
        System.out.println("model " + report.model() + ", policy " + AnalyzeCommand.policyLabel(report.policy())
                + ", backend " + report.backend() + ", form " + report.form());
        TextTable table = new TextTable("matrix", "shape", "rank", "energy kept", "error", "rel. error",
                "break-even", "written as");
        for (ReducedMatrix m : report.matrices()) {
            String shape = m.analysis().shape()[0] + "x" + m.analysis().shape()[1];
            if (m.reduction() == null) {
                table.row(m.analysis().name(), shape, m.analysis().rank() == null ? "error" : m.analysis().rank(),
                        "-", "-", "-", "-", "kept: " + m.keptBecause());
                continue;
            }
            var r = m.reduction();
            table.row(m.analysis().name(), shape, r.rank() + "/" + r.maxRank(),
                    String.format(Locale.ROOT, "%.2f%%", 100 * r.energyKept()), AnalyzeCommand.number(r.roundedError()),
                    String.format(Locale.ROOT, "%.4f", r.relativeError()), r.storage().breakEvenRank(),
                    String.join(", ", m.writtenAs()));
        }
        table.print(System.out);
        var t = report.totals();
        System.out.printf(Locale.ROOT, "%d matrices replaced: %,d parameters; factored they would take %,d (%.1f%%)%n",
                t.matrices(), t.denseParameters(), t.factoredParameters(),
                t.denseParameters() == 0 ? 100.0 : 100.0 * t.factoredParameters() / t.denseParameters());
        System.out.println("wrote " + report.output() + " (report: "
                + Path.of(report.output()).resolve(ReducedModelWriter.REPORT_FILE) + ")");
    }
}
