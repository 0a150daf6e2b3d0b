package dev.lasermesh.cli;

import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.gguf.GgufSummary;
import dev.lasermesh.core.gguf.LlamaGgufExport;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.MatrixQuantization;
import dev.lasermesh.core.quant.ModelQuantizer;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.quant.QuantizationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lasermesh quantize}: ggml Q8_0 / Q4_0 of the selected matrices, as a model folder (and a GGUF). */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize the selected matrices to ggml Q8_0 or Q4_0 and write a model folder holding their "
                + "dequantized values (any tool can evaluate it), with lasermesh-report.json.")
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A Hugging Face model folder.")
    Path model;

    @Option(names = "--scheme", required = true, paramLabel = "SCHEME", description = "q8_0 or q4_0 (required).")
    String scheme;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model folder (required).")
    Path out;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--gguf", paramLabel = "FILE",
            description = "Also write a GGUF file for llama.cpp (architecture llama): the selected matrices in the "
                    + "scheme, every other tensor F32 (F16 when stored as F16), the tokenizer from tokenizer.json. Default: no GGUF.")
    Path gguf;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        QuantScheme parsed = QuantScheme.parse(scheme);
        QuantizationReport report;
        try (ModelSource source = ModelSource.open(model)) {
            List<MatrixRef> matrices = selection.select(source.catalogue());
            LlamaGgufExport export = gguf == null ? null
                    : LlamaGgufExport.prepare(source, matrices, Optional.of(parsed));
            report = ModelQuantizer.writeQuantized(source, matrices, parsed, out);
            if (export != null) {
                report = report.withGguf(export.write(gguf));
                ModelQuantizer.writeReport(out, report);
            }
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(report));
        } else {
            printTable(report);
        }
        return 0;
    }

    private static void printTable(QuantizationReport report) {
        System.out.println("model " + report.model() + ", scheme " + report.scheme());
        TextTable table = new TextTable("matrix", "shape", "format", "bytes before", "bytes after", "error",
                "rel. error");
        for (MatrixQuantization m : report.matrices()) {
            table.row(m.label() == null ? m.name() : m.label(), m.rows() + "x" + m.cols(), m.format(),
                    String.format(Locale.ROOT, "%,d", m.bytesBefore()), String.format(Locale.ROOT, "%,d", m.bytesAfter()),
                    m.quantized() ? AnalyzeCommand.number(m.error().frobeniusError()) : "kept",
                    m.quantized() ? String.format(Locale.ROOT, "%.4f", m.error().relativeError()) : m.keptBecause());
        }
        table.print(System.out);
        System.out.println(summary(report));
        if (report.gguf() instanceof GgufSummary g) {
            System.out.printf(Locale.ROOT, "wrote %s (GGUF v3, llama, tokenizer %s, %d tensors %s, %,d bytes)%n",
                    g.file(), g.tokenizer(), g.tensors(), g.tensorsByType(), g.bytes());
        }
        System.out.println("wrote " + report.output() + " (report: "
                + Path.of(report.output()).resolve(ModelQuantizer.REPORT_FILE) + ")");
    }

    /** One line: what was quantized, the bytes before and after, what was kept. */
    static String summary(QuantizationReport report) {
        var t = report.totals();
        return String.format(Locale.ROOT, "%s: %d matrices quantized, %,d bytes -> %,d bytes (%.3fx)%s",
                report.scheme(), t.quantized(), t.bytesBefore(), t.bytesAfter(), t.compression(),
                t.kept() == 0 ? "" : "; kept in their dtype (row length not a multiple of 32): "
                        + String.join(", ", report.kept()));
    }
}
