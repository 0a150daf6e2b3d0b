package dev.lasermesh.core.reduce;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixReport;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.CompanionFiles;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.ModelWriter;
import dev.lasermesh.core.tensor.NamedTensor;
import dev.lasermesh.core.tensor.TensorReplacement;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Writes a reduced model folder: the input's files with the chosen matrices replaced by their
 * truncations (same names, dtypes and shapes in the dense form; two factors in the factored form),
 * every other tensor copied byte for byte, the companion files (config, tokenizer, ...) copied, the
 * files that describe the result ({@link ReducedFolderFiles}: rank map, transformers code and config of
 * a factored folder, annotated model card) and {@value #REPORT_FILE}. Matrices are truncated one at a
 * time while the writer streams, so memory holds one matrix, not the model. The folder is written all
 * or nothing ({@link OutputFolder}): a failed write leaves what was there before.
 */
public final class ReducedModelWriter {

    /** The report's file name in the output folder. */
    public static final String REPORT_FILE = "lasermesh-report.json";

    /** Receives progress: matrices truncated so far, of how many, and the one just done. */
    @FunctionalInterface
    public interface Progress {
        void matrixDone(int done, int total, String matrix);
    }

    private final MatrixTruncator truncator;
    private final String backend;

    public ReducedModelWriter(LinearAlgebra linearAlgebra) {
        this(linearAlgebra, new MatrixTruncator(linearAlgebra));
    }

    /** A writer whose truncations come from {@code truncator} (e.g. a calibrated method's). */
    public ReducedModelWriter(LinearAlgebra linearAlgebra, MatrixTruncator truncator) {
        this.truncator = truncator;
        this.backend = linearAlgebra.name();
    }

    /**
     * Writes the reduced model into {@code outDir} and returns its report (also written there).
     *
     * @param analyses  the analysed matrices; those analysed successfully with k &lt; min(m, n) are
     *                  replaced, the others are copied and listed with the reason
     * @param policy    the policy view for the report
     * @throws InvalidInputException when {@code outDir} contains or is inside the input, is a file or
     *                               below one, or is a non-empty folder that is not an earlier Lasermesh
     *                               output ({@link OutputFolder}); nothing is left behind when the write
     *                               fails; or when the factored form could not be loaded
     *                               ({@link ReducedFolderFiles#requireLoadable})
     */
    public ReductionReport write(ModelSource source, List<MatrixAnalysis> analyses, StorageForm form, Path outDir,
                                 Map<String, Object> policy, Progress progress) {
        ReducedFolderFiles.requireLoadable(source.catalogue(), form,
                analyses.stream().filter(ReducedModelWriter::replaces).map(MatrixAnalysis::matrix).toList());
        return OutputFolder.writeAllOrNothing(outDir, List.of(source.path()), REPORT_FILE,
                staging -> writeInto(staging, source, analyses, form, outDir, policy, progress));
    }

    private ReductionReport writeInto(Path staging, ModelSource source, List<MatrixAnalysis> analyses,
                                      StorageForm form, Path outDir, Map<String, Object> policy, Progress progress) {
        Map<String, List<NamedTensor>> rewrites = new LinkedHashMap<>();
        Map<String, ReductionResult> results = new java.util.concurrent.ConcurrentHashMap<>();
        List<ReducedMatrix> reported = new ArrayList<>();
        List<MatrixAnalysis> replaced = analyses.stream().filter(ReducedModelWriter::replaces).toList();
        AtomicInteger done = new AtomicInteger();
        for (MatrixAnalysis analysis : replaced) {
            MatrixRef m = analysis.matrix();
            SpectrumSummary summary = analysis.summary().orElseThrow();
            Runnable onDone = () -> progress.matrixDone(done.incrementAndGet(), replaced.size(), m.name());
            rewrites.put(m.name(), form == StorageForm.DENSE
                    ? List.of(denseTensor(source, m, summary, results, onDone))
                    : factoredTensors(source, m, summary, results, onDone));
        }
        ModelWriter.rewrite(source.tensors(), staging, rewrites);
        if (Files.isDirectory(source.path())) {
            CompanionFiles.copy(source.path(), staging);
        }
        for (MatrixAnalysis analysis : analyses) {
            MatrixReport entry = MatrixReport.of(analysis, true);
            List<NamedTensor> written = rewrites.get(analysis.matrix().name());
            reported.add(written == null
                    ? new ReducedMatrix(entry, null, null, keptBecause(analysis))
                    : new ReducedMatrix(entry, results.get(analysis.matrix().name()),
                            written.stream().map(NamedTensor::name).toList(), null));
        }
        ReductionReport report = new ReductionReport(source.path().toString(), outDir.toString(), policy, backend,
                form.name().toLowerCase(java.util.Locale.ROOT), notes(policy), reported,
                StorageTotals.of(results.values()), null, null, null, null);
        ReducedFolderFiles.write(source.path(), staging, form, reported);
        writeReport(staging, report);
        return report;
    }

    /** Writes (or rewrites, e.g. with perplexities added) the report into the output folder. */
    public static void writeReport(Path outDir, ReductionReport report) {
        writeJson(outDir.resolve(REPORT_FILE), report);
    }

    /**
     * Whether the writer replaces an analysed matrix: analysed successfully with k &lt; min(m, n).
     * Public, as {@link #keptBecause}, for the mesh gateway's assembly.
     */
    public static boolean replaces(MatrixAnalysis analysis) {
        return analysis.succeeded() && analysis.summary().get().decision().k() < analysis.matrix().minDim();
    }

    /** Why the writer keeps a matrix as it is. */
    public static String keptBecause(MatrixAnalysis analysis) {
        return analysis.error().map(e -> "analysis failed: " + e)
                .orElse("the policy keeps the full rank, so truncation would change nothing");
    }

    private NamedTensor denseTensor(ModelSource source, MatrixRef m, SpectrumSummary summary,
                                    Map<String, ReductionResult> results, Runnable onDone) {
        TensorValues values = TensorValues.lazyDoubles(() -> {
            DenseReduction r = truncator.dense(source, m, summary.singularValues(), summary.decision().k());
            results.put(m.name(), r.result());
            onDone.run();
            return r.reconstruction().data();
        });
        return new NamedTensor(m.name(), new TensorReplacement(m.dtype(), new long[] {m.rows(), m.cols()}, values));
    }

    /**
     * The two factors in the layout of {@code nn.Sequential(Linear(in, k), Linear(k, out))} put where
     * the original linear was ({@link RankMap#factorNames}): {@code <module>.0.weight} = √S·Vᵀ
     * (k × in), then {@code <module>.1.weight} = U·√S (out × k). The truncation runs once, when the
     * writer reaches the first factor, and is released after the second.
     */
    private List<NamedTensor> factoredTensors(ModelSource source, MatrixRef m, SpectrumSummary summary,
                                              Map<String, ReductionResult> results, Runnable onDone) {
        int k = summary.decision().k();
        Supplier<FactoredReduction> once = new Supplier<>() {
            private FactoredReduction reduction;

            @Override
            public synchronized FactoredReduction get() {
                if (reduction == null) {
                    reduction = truncator.factored(source, m, summary.singularValues(), k);
                    results.put(m.name(), reduction.result());
                    onDone.run();
                }
                return reduction;
            }
        };
        return factorTensors(m, k, () -> once.get().factors());
    }

    /**
     * The two factor tensors of a matrix truncated to rank k, in its dtype, with values from
     * {@code factors} (asked for when the writer reaches them).
     */
    private static List<NamedTensor> factorTensors(MatrixRef m, int k, Supplier<LowRankFactors> factors) {
        return factorTensors(m, k, TensorValues.lazyDoubles(() -> factors.get().b().data()),
                TensorValues.lazyDoubles(() -> factors.get().a().data()));
    }

    /**
     * The two factor tensors of a matrix truncated to rank k, in its dtype, in the order and under the
     * names {@link RankMap#factorNames} gives: B = √S·Vᵀ (k × in) from {@code b}, then A = U·√S
     * (out × k) from {@code a}. Public so that the mesh gateway's assembly writes the same tensors.
     */
    public static List<NamedTensor> factorTensors(MatrixRef m, int k, TensorValues b, TensorValues a) {
        List<String> names = RankMap.factorNames(m.name());
        DType dtype = m.dtype();
        return List.of(new NamedTensor(names.get(0), new TensorReplacement(dtype, new long[] {k, m.cols()}, b)),
                new NamedTensor(names.get(1), new TensorReplacement(dtype, new long[] {m.rows(), k}, a)));
    }

    /**
     * The caveats the report lists for {@code policy} (its view, as {@link
     * dev.lasermesh.core.analysis.AnalysisReport#policyView}). Public so that the mesh gateway's report
     * says the same as the standalone's.
     */
    public static List<String> notes(Map<String, Object> policy) {
        List<String> notes = new ArrayList<>();
        notes.add("dense matrices are rank-k reconstructions computed in float64 and rounded to the tensor's dtype "
                + "(round to nearest even); error is measured in float64, rounded_error after rounding");
        if ("laserrmt".equals(policy.get("name"))) {
            notes.add("laserrmt's threshold sigma_IQR(S)*(1+sqrt(beta)) is laserRMT's heuristic, not the "
                    + "Marchenko-Pastur noise edge: on pure Gaussian noise it keeps 24% (square) to 100% "
                    + "(rectangular) of the spectrum; mp-edge and gavish-donoho are the textbook rules");
        }
        return notes;
    }

    private static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.write(file, ReportJson.bytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
