package dev.lasermesh.core.lora;

import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.CompanionFiles;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.DTypeRounding;
import dev.lasermesh.core.reduce.OutputFolder;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.ModelWriter;
import dev.lasermesh.core.tensor.TensorReplacement;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Writes a merged model folder: the base model's files with every adapted matrix replaced by
 * W' = round(W + s·B·A) ({@link LoraMerge}), every other tensor copied byte for byte (with
 * {@code --base-quant nf4}, the other decoder-layer linears are their NF4 round trips), the companion
 * files copied, and {@value ReducedModelWriter#REPORT_FILE}. Matrices are merged one at a time while
 * the writer streams; each file is written atomically.
 */
public final class LoraModelWriter {

    private LoraModelWriter() {
    }

    /**
     * Writes the merged model into {@code outDir} and returns its report (also written there).
     *
     * @throws dev.lasermesh.core.InvalidInputException when {@code outDir} is an input or a foreign non-empty folder
     */
    public static LoraMergeReport write(BaseWeights base, LoraAdapter adapter, List<AdaptedMatrix> adapted, Path outDir,
                                        ReducedModelWriter.Progress progress) {
        ModelSource model = base.model();
        return OutputFolder.writeAllOrNothing(outDir, List.of(model.path(), adapter.folder()),
                ReducedModelWriter.REPORT_FILE, staging -> writeInto(staging, base, adapter, adapted, outDir, progress));
    }

    private static LoraMergeReport writeInto(Path staging, BaseWeights base, LoraAdapter adapter,
                                             List<AdaptedMatrix> adapted, Path outDir,
                                             ReducedModelWriter.Progress progress) {
        ModelSource model = base.model();
        Map<String, TensorReplacement> replacements = new LinkedHashMap<>();
        AtomicInteger done = new AtomicInteger();
        List<MatrixRef> quantizedOnly = base.changed().stream()
                .filter(m -> adapted.stream().noneMatch(a -> a.matrix().equals(m))).toList();
        int total = adapted.size() + quantizedOnly.size();
        for (AdaptedMatrix a : adapted) {
            MatrixRef m = a.matrix();
            replacements.put(m.name(), replacement(m, () -> LoraMerge.rounded(base.read(m), adapter.delta(a), m.dtype()),
                    () -> progress.matrixDone(done.incrementAndGet(), total, m.name())));
        }
        for (MatrixRef m : quantizedOnly) {
            replacements.put(m.name(), replacement(m, () -> DTypeRounding.round(base.read(m), m.dtype()),
                    () -> progress.matrixDone(done.incrementAndGet(), total, m.name())));
        }
        ModelWriter.write(model.tensors(), staging, replacements);
        if (Files.isDirectory(model.path())) {
            CompanionFiles.copy(model.path(), staging);
        }
        LoraConfig c = adapter.config();
        LoraMergeReport report = new LoraMergeReport(model.path().toString(), adapter.folder().toString(),
                outDir.toString(), c.rank(), c.alpha(), c.scaling(), c.rsLora(), c.fanInFanOut(),
                base.quantization().cliName(),
                "W' = round_to_dtype(W + s*B@A), float64, one rounding" + (c.fanInFanOut() ? "; delta transposed" : "")
                        + (base.quantization() == BaseQuantization.NONE ? ""
                        : "; W = " + base.quantization().cliName() + " round trip of the decoder-layer linears"),
                adapted.stream().map(a -> a.matrix().name()).toList(), quantizedOnly.stream().map(MatrixRef::name).toList());
        try {
            AtomicFiles.write(staging.resolve(ReducedModelWriter.REPORT_FILE), ReportJson.bytes(report));
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": cannot write the report (" + e.getMessage() + ")", e);
        }
        return report;
    }

    private static TensorReplacement replacement(MatrixRef m, Supplier<DenseMatrix> values, Runnable onDone) {
        return new TensorReplacement(m.dtype(), new long[] {m.rows(), m.cols()}, TensorValues.lazyDoubles(() -> {
            double[] d = values.get().data();
            onDone.run();
            return d;
        }));
    }
}
