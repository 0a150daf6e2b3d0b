package dev.lasermesh.cli;

import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.lora.AdaptedMatrix;
import dev.lasermesh.core.lora.BaseWeights;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.lora.LoraMergeReport;
import dev.lasermesh.core.lora.LoraModelWriter;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lasermesh lora merge}: W' = W + s·B·A in float64, rounded once, written as a model folder. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a PEFT LoRA adapter into its base model: W' = W + s*B*A (s = lora_alpha/r, or "
                + "lora_alpha/sqrt(r) with use_rslora) in float64, rounded once to the base dtype.")
final class LoraMergeCommand implements Callable<Integer> {

    @Mixin
    AdapterArguments inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model folder (required).")
    Path out;

    @Mixin
    BaseQuantOption quant;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        LoraMergeReport report;
        try (ModelSource source = ModelSource.open(inputs.base); LoraAdapter lora = LoraAdapter.open(inputs.adapter)) {
            BaseWeights weights = new BaseWeights(source, quant.quantization());
            List<AdaptedMatrix> adapted = lora.resolve(source);
            try (ProgressBar bar = ProgressBar.onStderr("merge", adapted.size() + weights.changed().size())) {
                report = LoraModelWriter.write(weights, lora, adapted, out, (done, total, name) -> bar.set(done, name));
            }
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(report));
        } else {
            System.out.printf(Locale.ROOT, "merged %d matrices of %s (r=%d, lora_alpha=%s, scaling %s%s, base %s)%n",
                    report.merged().size(), report.adapter(), report.rank(), AnalyzeCommand.number(report.alpha()),
                    AnalyzeCommand.number(report.scaling()), report.useRslora() ? " rsLoRA" : "", report.baseQuant());
            if (!report.quantizedOnly().isEmpty()) {
                System.out.printf(Locale.ROOT, "%d other decoder-layer matrices written as their NF4 round trip%n",
                        report.quantizedOnly().size());
            }
            System.out.println("wrote " + report.output() + " (report: "
                    + Path.of(report.output()).resolve(ReducedModelWriter.REPORT_FILE) + ")");
        }
        return 0;
    }
}
