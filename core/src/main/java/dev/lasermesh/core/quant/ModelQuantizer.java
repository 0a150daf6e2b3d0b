package dev.lasermesh.core.quant;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.model.CompanionFiles;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.OutputFolder;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.ModelWriter;
import dev.lasermesh.core.tensor.NamedTensor;
import dev.lasermesh.core.tensor.TensorCodec;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorReplacement;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a model folder whose selected matrices hold the dequantized values of their ggml blocks,
 * in the tensor's own dtype, so any tool (transformers, Lasermesh's evaluator) scores exactly what a
 * quantized model computes with; every other tensor is copied byte for byte. A matrix whose row
 * length is not a multiple of 32 cannot be split into blocks and is kept as it is (DESIGN §7.2); the
 * report lists it. One matrix is in memory at a time.
 */
public final class ModelQuantizer {

    /** The report's file name in the output folder (the same file a reduction writes). */
    public static final String REPORT_FILE = "lasermesh-report.json";

    /**
     * A tensor to quantize.
     *
     * @param name  the tensor name
     * @param label a short label for reports, or null
     */
    public record Target(String name, String label) {

        /** A catalogued matrix. */
        public static Target of(MatrixRef matrix) {
            return new Target(matrix.name(), matrix.label());
        }
    }

    private ModelQuantizer() {
    }

    /**
     * Checks that at least one of {@code matrices} can be quantized, before anything is computed or written.
     *
     * @throws InvalidInputException naming the model and the row lengths when none is a multiple of 32
     */
    public static void requireQuantizable(String model, List<MatrixRef> matrices) {
        if (matrices.stream().noneMatch(m -> QuantScheme.fits(m.cols()))) {
            throw new InvalidInputException(model + ": none of the " + matrices.size() + " selected matrices has a "
                    + "row length that is a multiple of " + QuantScheme.BLOCK + " (row lengths "
                    + matrices.stream().map(m -> String.valueOf(m.cols())).distinct().toList()
                    + "), so nothing can be quantized into ggml blocks");
        }
    }

    /**
     * Writes {@code outDir}: {@code source} with {@code matrices} quantized, its companion files and
     * {@value #REPORT_FILE}. Nothing is written when a check fails.
     *
     * @throws InvalidInputException when no matrix can be quantized, or {@code outDir} is the input or a
     *                               foreign non-empty folder
     */
    public static QuantizationReport writeQuantized(ModelSource source, List<MatrixRef> matrices,
                                                    QuantScheme scheme, Path outDir) {
        requireQuantizable(source.path().toString(), matrices);
        return OutputFolder.writeAllOrNothing(outDir, List.of(source.path()), REPORT_FILE, staging -> {
            QuantizationReport report = rewrite(source.tensors(), source.path(),
                    matrices.stream().map(Target::of).toList(), scheme, staging).withOutput(outDir);
            if (Files.isDirectory(source.path())) {
                CompanionFiles.copy(source.path(), staging);
            }
            writeReport(staging, report);
            return report;
        });
    }

    /**
     * Quantizes tensors of a model folder in place (each tensor file rewritten atomically): how
     * {@code reduce} and {@code run --quantize} quantize the output they have just written, dense
     * matrices or factors alike.
     */
    public static QuantizationReport quantizeInPlace(Path folder, List<Target> targets, QuantScheme scheme) {
        try (TensorSource tensors = TensorSources.open(folder)) {
            return rewrite(tensors, folder, targets, scheme, folder);
        }
    }

    /** Writes (or rewrites) {@code report} as the folder's report. */
    public static void writeReport(Path outDir, Object report) {
        Path file = outDir.resolve(REPORT_FILE);
        try {
            AtomicFiles.write(file, ReportJson.bytes(report));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static QuantizationReport rewrite(TensorSource tensors, Path model, List<Target> targets,
                                              QuantScheme scheme, Path outDir) {
        Map<String, MatrixQuantization> entries = new ConcurrentHashMap<>();
        Map<String, List<NamedTensor>> rewrites = new LinkedHashMap<>();
        for (Target target : targets) {
            TensorInfo info = tensors.info(target.name());
            if (info.rank() != 2) {
                throw new InvalidInputException(tensors.description() + ": tensor \"" + target.name()
                        + "\" is not a matrix (shape " + java.util.Arrays.toString(info.shape()) + ")");
            }
            if (!QuantScheme.fits(info.cols())) {
                entries.put(target.name(), kept(target, info));
                continue;
            }
            rewrites.put(target.name(), List.of(new NamedTensor(target.name(), TensorReplacement.like(info,
                    TensorValues.lazyFloats(() -> quantized(tensors, target, info, scheme, entries))))));
        }
        ModelWriter.rewrite(tensors, outDir, rewrites);
        List<MatrixQuantization> matrices = targets.stream().map(t -> entries.get(t.name())).toList();
        return new QuantizationReport(model.toString(), outDir.toString(), scheme.cliName(), notes(),
                matrices, matrices.stream().filter(m -> !m.quantized()).map(MatrixQuantization::name).toList(),
                QuantizationTotals.of(matrices), null);
    }

    private static float[] quantized(TensorSource tensors, Target target, TensorInfo info, QuantScheme scheme,
                                     Map<String, MatrixQuantization> entries) {
        float[] w = tensors.readFloats(target.name());
        QuantizedMatrix q = scheme.quantize(w, info.rows(), info.cols());
        float[] deq = q.dequantize();
        QuantizationError error = QuantizationError.of(w, deq);
        float[] written = roundedTo(deq, info.dtype());
        double writtenError = written == deq ? error.frobeniusError() : QuantizationError.of(w, written).frobeniusError();
        entries.put(target.name(), new MatrixQuantization(target.name(), target.label(), info.rows(), info.cols(),
                info.dtype().name(), scheme.ggmlName(), info.byteLength(), q.byteSize(), error, writtenError, null));
        return written;
    }

    /** The values as a tensor of {@code dtype} stores them (round to nearest even), or the same array for F32. */
    private static float[] roundedTo(float[] values, DType dtype) {
        if (dtype == DType.F32 || dtype == DType.F64) {
            return values;
        }
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) TensorCodec.round(values[i], dtype);
        }
        return rounded;
    }

    private static MatrixQuantization kept(Target target, TensorInfo info) {
        return new MatrixQuantization(target.name(), target.label(), info.rows(), info.cols(), info.dtype().name(),
                info.dtype().name(), info.byteLength(), info.byteLength(), null, null,
                "row length " + info.cols() + " is not a multiple of " + QuantScheme.BLOCK);
    }

    private static List<String> notes() {
        return List.of("blocks of 32 values along each row (ggml Q8_0 / Q4_0, bit-exact to ggml's reference "
                        + "quantizers); the folder stores the dequantized values in each tensor's dtype",
                "bytes_after counts the tensor as ggml stores it (Q8_0 34 B, Q4_0 18 B per 32 values); a tensor "
                        + "whose row length is not a multiple of 32 is kept in its dtype and listed under kept",
                "error: ||W - deq(Q(W))||_F in float64 against the tensor's own values; written_error after "
                        + "rounding the dequantized values to the tensor's dtype");
    }
}
