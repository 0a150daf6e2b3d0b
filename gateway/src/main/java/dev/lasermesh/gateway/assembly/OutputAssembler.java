package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixReport;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.CompanionFiles;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.FrobeniusDistance;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.ReducedFolderFiles;
import dev.lasermesh.core.reduce.ReducedMatrix;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.ReductionReport;
import dev.lasermesh.core.reduce.ReductionResult;
import dev.lasermesh.core.reduce.StorageAccounting;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.reduce.StorageTotals;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SpectralStatistics;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.ModelWriter;
import dev.lasermesh.core.tensor.NamedTensor;
import dev.lasermesh.core.tensor.TensorReplacement;
import dev.lasermesh.core.tensor.TensorValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Writes a job's output model folder from the tensors the reducers stored: the input model's files
 * with the replaced matrices taken from the artifact store (core's {@link ModelWriter#rewrite}; every
 * other tensor copied byte for byte; each file written under a temporary name and renamed), the
 * companion files, and {@code lasermesh-report.json} in the shape of the standalone's
 * ({@link ReductionReport}: same entries, notes, totals and, for a search, outcome and perplexities).
 *
 * <p>The per-matrix accounting of the report ({@link ReductionResult}) is recomputed here from the base
 * matrix and the stored tensor — ‖W‖_F, the error of the matrix as written, the Eckart–Young error and
 * energy from the singular values, the storage — with the float64 error the reducer measured, so the
 * numbers are those the standalone's writer reports for the same truncation. Names follow the
 * standalone: a dense matrix keeps its name; factors are {@code <module>.0.weight} = √S·Vᵀ (k × in) and
 * {@code <module>.1.weight} = U·√S (out × k), and the files that describe the folder (rank map,
 * transformers code and config of a factored folder, model card) are core's {@link ReducedFolderFiles}.
 *
 * <p>The input model is read only once its folder passes the model-root check again ({@link ModelFolders}):
 * its files may have become links elsewhere since the job was submitted. Of the companion files, only
 * those that resolve inside the model roots are copied, so that a link to a file elsewhere ({@code
 * notes.txt -> /etc/shadow}) never reaches the output folder, which the API lists.
 */
public final class OutputAssembler {

    /**
     * What to write.
     *
     * @param model      the input model folder
     * @param outDir     the output folder
     * @param policy     the rank policy the analyses applied
     * @param form       how replaced matrices are stored
     * @param analyses   the matrices to report, in order; those analysed with k &lt; min(m, n) are replaced
     * @param reductions the reducer's output for each replaced matrix, at its k and in {@code form}
     * @param outcome    the search's outcome; null for a job without evaluation
     * @param perplexity perplexity before and after with the protocol; null without evaluation
     */
    public record Input(Path model, Path outDir, RankPolicySpec policy, OutputForm form, List<MatrixAnalysis> analyses,
                        Map<String, ReductionOutput> reductions, SearchOutcome outcome, Map<String, Object> perplexity) {
    }

    private final ArtifactTensors artifacts;
    private final PathRoots modelRoots;

    /**
     * @param artifacts  reads the reducers' tensors from the artifact store
     * @param modelRoots the roots the input model must lie in
     */
    public OutputAssembler(ArtifactTensors artifacts, PathRoots modelRoots) {
        this.artifacts = artifacts;
        this.modelRoots = modelRoots;
    }

    /**
     * Writes the output folder and returns its report (also written there).
     *
     * @throws InvalidInputException when the model folder or one of its model files lies outside the model
     *                               roots, a replaced matrix has no reduction or a stored tensor does not
     *                               match its reference
     */
    public ReductionReport write(Input in) {
        Path model = ModelFolders.requireInside(modelRoots, in.model(), "model");
        Map<String, Object> policy = AnalysisReport.policyView(in.policy());
        Map<String, ReductionResult> results = new ConcurrentHashMap<>();
        Map<String, List<NamedTensor>> rewrites = new LinkedHashMap<>();
        try (ModelSource source = ModelSource.open(model)) {
            ReducedFolderFiles.requireLoadable(source.catalogue(), storageForm(in.form()), in.analyses().stream()
                    .filter(ReducedModelWriter::replaces).map(MatrixAnalysis::matrix).toList());
            for (MatrixAnalysis analysis : in.analyses()) {
                if (ReducedModelWriter.replaces(analysis)) {
                    rewrites.put(analysis.matrix().name(), tensors(source, analysis, reduction(in, analysis), in.form(),
                            results));
                }
            }
            ModelWriter.rewrite(source.tensors(), in.outDir(), rewrites);
        }
        CompanionFiles.copy(model, in.outDir(), modelRoots::holds);
        List<ReducedMatrix> reported = new ArrayList<>();
        for (MatrixAnalysis analysis : in.analyses()) {
            MatrixReport entry = MatrixReport.of(analysis, true);
            List<NamedTensor> written = rewrites.get(analysis.matrix().name());
            reported.add(written == null
                    ? new ReducedMatrix(entry, null, null, ReducedModelWriter.keptBecause(analysis))
                    : new ReducedMatrix(entry, results.get(analysis.matrix().name()),
                            written.stream().map(NamedTensor::name).toList(), null));
        }
        ReductionReport report = new ReductionReport(in.model().toString(), in.outDir().toString(), policy,
                backend(in.reductions()), in.form().label(), ReducedModelWriter.notes(policy), reported,
                StorageTotals.of(results.values()), null, null, null, null);
        if (in.outcome() != null) {
            report = report.withEvaluation(in.outcome(), in.perplexity());
        }
        ReducedFolderFiles.write(in.model(), in.outDir(), storageForm(in.form()), reported);
        ReducedModelWriter.writeReport(in.outDir(), report);
        return report;
    }

    private static ReductionOutput reduction(Input in, MatrixAnalysis analysis) {
        String name = analysis.matrix().name();
        ReductionOutput r = in.reductions().get(name);
        int k = analysis.summary().orElseThrow().decision().k();
        if (r == null || r.rank() != k || r.overlay().form() != in.form()) {
            throw new InvalidInputException("matrix " + name + ": no " + in.form().label() + " reduction at rank " + k
                    + " to write" + (r == null ? "" : " (have " + r.overlay().form().label() + " rank " + r.rank() + ")"));
        }
        return r;
    }

    private List<NamedTensor> tensors(ModelSource source, MatrixAnalysis analysis, ReductionOutput reduction,
                                      OutputForm form, Map<String, ReductionResult> results) {
        MatrixRef m = analysis.matrix();
        SpectrumSummary summary = analysis.summary().orElseThrow();
        int k = reduction.rank();
        List<TensorRef> refs = reduction.overlay().tensors();
        if (form == OutputForm.DENSE) {
            TensorValues values = TensorValues.lazyDoubles(() -> {
                double[] written = artifacts.read(refs.getFirst());
                results.put(m.name(), accounting(source, m, summary, reduction, StorageForm.DENSE,
                        new DenseMatrix(m.rows(), m.cols(), written)));
                return written;
            });
            return List.of(new NamedTensor(m.name(), new TensorReplacement(m.dtype(), new long[] {m.rows(), m.cols()},
                    values)));
        }
        Supplier<LowRankFactors> factors = new Supplier<>() {
            private LowRankFactors read;

            @Override
            public synchronized LowRankFactors get() {
                if (read == null) {
                    read = new LowRankFactors(new DenseMatrix(m.rows(), k, artifacts.read(refs.get(0))),
                            new DenseMatrix(k, m.cols(), artifacts.read(refs.get(1))));
                    results.put(m.name(), accounting(source, m, summary, reduction, StorageForm.FACTORED,
                            read.product()));
                }
                return read;
            }
        };
        return ReducedModelWriter.factorTensors(m, k, factors);
    }

    /** The standalone's accounting of one truncation, from the base matrix and the matrix as written. */
    private static ReductionResult accounting(ModelSource source, MatrixRef m, SpectrumSummary summary,
                                              ReductionOutput reduction, StorageForm form, DenseMatrix asWritten) {
        DenseMatrix w = source.readMatrix(m);
        double[] s = summary.singularValues();
        int k = reduction.rank();
        double norm = FrobeniusDistance.norm(w);
        double error = reduction.frobeniusError();
        return new ReductionResult(m.rows(), m.cols(), k, m.minDim(), m.dtype(), form, norm, error,
                FrobeniusDistance.between(w, asWritten), SpectralStatistics.frobeniusErrorAtRank(s, k),
                norm == 0 ? 0 : error / norm, SpectralStatistics.energyKept(s, k),
                StorageAccounting.of(m.rows(), m.cols(), k, m.dtype()));
    }

    /** The reducers' backends; {@code none} when nothing was reduced. */
    private static String backend(Map<String, ReductionOutput> reductions) {
        TreeSet<String> backends = new TreeSet<>();
        reductions.values().forEach(r -> backends.add(r.backend()));
        return backends.isEmpty() ? "none" : String.join(", ", backends);
    }

    private static StorageForm storageForm(OutputForm form) {
        return form == OutputForm.FACTORED ? StorageForm.FACTORED : StorageForm.DENSE;
    }
}
