package dev.lasermesh.cli;

import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.analysis.MatrixReport;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lasermesh analyze}: the spectrum and rank decision of every selected matrix. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Compute singular values and the rank each matrix would keep under a policy.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model folder or a single .safetensors file.")
    Path model;

    @Mixin
    SelectionOptions selection;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--singular-values",
            description = "Also print every singular value of each matrix: in JSON as singular_values, in the table "
                    + "format as one line per matrix after the table.")
    boolean singularValues;

    @Override
    public Integer call() {
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        List<MatrixAnalysis> analyses;
        String note;
        try (ModelSource source = ModelSource.open(model)) {
            printNote(source);
            note = source.catalogue().note().orElse(null);
            analyses = analyzeAll(source, selection.select(source.catalogue()),
                    new MatrixAnalyzer(linearAlgebra, policy.toPolicy()));
        }
        AnalysisReport report = report(linearAlgebra, analyses, note);
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(report));
        } else {
            printTable(report);
            if (singularValues) {
                printSingularValues(report);
            }
        }
        analyses.stream().filter(a -> !a.succeeded())
                .forEach(a -> System.err.println("lasermesh: " + a.error().orElseThrow()));
        return analyses.stream().allMatch(MatrixAnalysis::succeeded) ? 0 : LasermeshCli.EXIT_BAD_INPUT;
    }

    /** Prints to stderr why the model's matrices are its 2-D tensors, when its family is unknown. */
    static void printNote(ModelSource source) {
        source.catalogue().note().ifPresent(note -> System.err.println("lasermesh: note: " + note));
    }

    /** Analyses the matrices one at a time, with a progress bar. */
    static List<MatrixAnalysis> analyzeAll(ModelSource source, List<MatrixRef> matrices, MatrixAnalyzer analyzer) {
        List<MatrixAnalysis> analyses = new ArrayList<>();
        try (ProgressBar bar = ProgressBar.onStderr("analyze", matrices.size())) {
            for (MatrixRef m : matrices) {
                analyses.add(analyzer.analyze(source, m));
                bar.advance(1, m.name());
            }
        }
        return analyses;
    }

    /** The backend's name, and why OpenBLAS was not used when it was not. */
    static String backendLabel(LinearAlgebra linearAlgebra) {
        return linearAlgebra.name()
                + LinearAlgebras.nativeFailure().map(reason -> " (OpenBLAS unavailable: " + reason + ")").orElse("");
    }

    private AnalysisReport report(LinearAlgebra linearAlgebra, List<MatrixAnalysis> analyses, String note) {
        return new AnalysisReport(model.toString(), AnalysisReport.policyView(policy.spec()),
                backendLabel(linearAlgebra),
                analyses.stream().map(a -> MatrixReport.of(a, singularValues)).toList(), note);
    }

    private static void printTable(AnalysisReport report) {
        System.out.println("model " + report.model() + ", policy " + policyLabel(report.policy()) + ", backend "
                + report.backend());
        TextTable table = new TextTable("matrix", "shape", "dtype", "rank", "threshold", "sigma", "snr",
                "snr/smax", "cond", "energy kept", "seconds");
        for (MatrixReport m : report.matrices()) {
            if (m.error() != null) {
                table.row(m.name(), shape(m), m.dtype(), "error", "-", "-", "-", "-", "-", "-", "-");
                continue;
            }
            table.row(m.name(), shape(m), m.dtype(), m.rank() + "/" + Math.min(m.shape()[0], m.shape()[1]),
                    number(m.threshold()), number(m.sigma()), number(m.snr()), number(m.snrOverSmax()),
                    number(m.conditionNumber()), String.format(Locale.ROOT, "%.2f%%", 100 * m.energyKept()),
                    String.format(Locale.ROOT, "%.2f", m.seconds()));
        }
        table.print(System.out);
    }

    /** "singular values of NAME (N): s1 s2 …", descending, six significant digits, one line per analysed matrix. */
    private static void printSingularValues(AnalysisReport report) {
        for (MatrixReport m : report.matrices()) {
            if (m.singularValues() != null) {
                StringBuilder line = new StringBuilder("singular values of " + m.name() + " ("
                        + m.singularValues().length + "):");
                for (double s : m.singularValues()) {
                    line.append(' ').append(number(s));
                }
                System.out.println(line);
            }
        }
    }

    /** "fraction fraction=0.1": the policy name and its parameters. */
    static String policyLabel(java.util.Map<String, Object> policy) {
        StringBuilder label = new StringBuilder(String.valueOf(policy.get("name")));
        policy.forEach((key, value) -> {
            if (!key.equals("name")) {
                label.append(' ').append(key).append('=').append(value);
            }
        });
        return label.toString();
    }

    private static String shape(MatrixReport m) {
        return m.shape()[0] + "x" + m.shape()[1];
    }

    static String number(Double v) {
        if (v == null) {
            return "-";
        }
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6g", v);
    }
}
