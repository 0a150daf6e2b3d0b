package dev.lasermesh.cli;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.quant.ModelQuantizer;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.quant.QuantizationReport;
import dev.lasermesh.core.reduce.ReducedMatrix;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.ReductionReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --quantize} of {@code reduce} and {@code run}: after the reduced model is written, its selected
 * matrices — the dense reductions, the two factors of factored ones, and the selected matrices left
 * as they were — are quantized in place, and the report gains a {@code quantization} part.
 */
public final class QuantizeOption {

    @Option(names = "--quantize", paramLabel = "SCHEME",
            description = "Quantize the output's selected matrices after the reduction: q8_0 or q4_0 (ggml blocks "
                    + "of 32 along each row; the folder stores the dequantized values in each tensor's dtype). Default: no quantization.")
    String scheme;

    /** The parsed scheme, when asked for; checked before any work. */
    Optional<QuantScheme> scheme() {
        return scheme == null ? Optional.empty() : Optional.of(QuantScheme.parse(scheme));
    }

    /** Refuses, before any work, a selection of which nothing can be quantized. */
    void check(String model, List<MatrixRef> selected) {
        if (scheme().isPresent()) {
            ModelQuantizer.requireQuantizable(model, selected);
        }
    }

    /** Quantizes the written output when asked for and rewrites its report; returns the report. */
    ReductionReport apply(ReductionReport report, Path out, List<MatrixRef> selected) {
        if (scheme().isEmpty()) {
            return report;
        }
        Map<String, List<String>> written = new HashMap<>();
        for (ReducedMatrix m : report.matrices()) {
            if (m.writtenAs() != null) {
                written.put(m.analysis().name(), m.writtenAs());
            }
        }
        List<ModelQuantizer.Target> targets = new ArrayList<>();
        for (MatrixRef m : selected) {
            List<String> names = written.getOrDefault(m.name(), List.of(m.name()));
            for (String name : names) {
                targets.add(new ModelQuantizer.Target(name, names.size() == 1 ? m.label()
                        : m.label() + (name.endsWith(".0.weight") ? " sqrt(S)Vt" : " U*sqrt(S)")));
            }
        }
        QuantizationReport quantization = ModelQuantizer.quantizeInPlace(out, targets, scheme().get());
        ReductionReport updated = report.withQuantization(quantization);
        ReducedModelWriter.writeReport(out, updated);
        System.out.println(QuantizeCommand.summary(quantization));
        return updated;
    }
}
