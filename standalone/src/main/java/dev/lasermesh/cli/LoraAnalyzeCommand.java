package dev.lasermesh.cli;

import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.AdaptedMatrix;
import dev.lasermesh.core.lora.AdaptedMatrixAnalysis;
import dev.lasermesh.core.lora.BaseWeights;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.lora.LoraAnalysisReport;
import dev.lasermesh.core.lora.LoraAnalyzer;
import dev.lasermesh.core.lora.SpectrumSide;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lasermesh lora analyze}: what the fine-tune did to each adapted matrix's spectrum. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Per adapted matrix: the spectra of W and W' (k, threshold, SNR, SNR/smax), the singular values "
                + "of the update s*B*A from its factors, |dW|/|W|, and the share of dW in W's kept top-k subspace.")
final class LoraAnalyzeCommand implements Callable<Integer> {

    @Mixin
    AdapterArguments inputs;

    @Mixin
    PolicyOptions policy;

    @Mixin
    BaseQuantOption quant;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        LoraAnalyzer analyzer = new LoraAnalyzer(linearAlgebra, policy.toPolicy());
        LoraAnalysisReport report;
        try (ModelSource source = ModelSource.open(inputs.base); LoraAdapter lora = LoraAdapter.open(inputs.adapter)) {
            BaseWeights weights = new BaseWeights(source, quant.quantization());
            List<AdaptedMatrix> adapted = lora.resolve(source);
            List<AdaptedMatrixAnalysis> analyses = new ArrayList<>();
            try (ProgressBar bar = ProgressBar.onStderr("lora analyze", adapted.size())) {
                for (AdaptedMatrix a : adapted) {
                    analyses.add(analyzer.analyze(weights, lora, a));
                    bar.advance(1, a.matrix().name());
                }
            }
            report = new LoraAnalysisReport(inputs.base.toString(), inputs.adapter.toString(), weights.quantization().cliName(),
                    lora.config().scaling(), lora.config().rank(), AnalysisReport.policyView(policy.spec()),
                    AnalyzeCommand.backendLabel(linearAlgebra), analyses, LoraAnalysisReport.Summary.of(analyses));
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(report));
        } else {
            printTable(report);
        }
        return 0;
    }

    private static void printTable(LoraAnalysisReport report) {
        System.out.printf(Locale.ROOT, "base %s, adapter %s (r=%d, scaling %s), base quant %s, policy %s, backend %s%n",
                report.base(), report.adapter(), report.rank(), AnalyzeCommand.number(report.scaling()),
                report.baseQuant(), AnalyzeCommand.policyLabel(report.policy()), report.backend());
        TextTable table = new TextTable("matrix", "shape", "k W->W'", "threshold W->W'", "snr W->W'", "snr/smax W->W'",
                "s1,s2 of dW", "|dW|/|W|", "energy in W top-k L/R/both", "angles deg");
        for (AdaptedMatrixAnalysis m : report.matrices()) {
            SpectrumSide b = m.base();
            SpectrumSide a = m.merged();
            double[] s = m.deltaSingularValues();
            double[] angles = m.overlap().principalAnglesDeg();
            table.row(m.label(), m.shape().get(0) + "x" + m.shape().get(1), b.k() + "->" + a.k(),
                    pair(b.threshold(), a.threshold()), pair(b.snr(), a.snr()), pair(b.snrOverSigmaMax(), a.snrOverSigmaMax()),
                    s.length < 2 ? AnalyzeCommand.number(s.length == 0 ? null : s[0]) : pair(s[0], s[1]),
                    fixed(m.deltaFroOverWFro()), fixed(m.overlap().energyLeft()) + "/" + fixed(m.overlap().energyRight())
                            + "/" + fixed(m.overlap().energyBoth()),
                    angles.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f-%.1f", angles[0], angles[angles.length - 1]));
        }
        table.print(System.out);
        LoraAnalysisReport.Summary sum = report.summary();
        System.out.printf(Locale.ROOT, "k went down for %d, up for %d, stayed for %d of %d matrices; medians: |dW|/|W| %s, "
                        + "energy of dW in W's top-k subspace left %s, right %s, both %s%n", sum.kDown(), sum.kUp(),
                sum.kSame(), report.matrices().size(), fixed(sum.medianDeltaFroOverWFro()), fixed(sum.medianEnergyLeft()),
                fixed(sum.medianEnergyRight()), fixed(sum.medianEnergyBoth()));
    }

    private static String pair(Double before, Double after) {
        return AnalyzeCommand.number(before) + "->" + AnalyzeCommand.number(after);
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
