package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixReport;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.model.CompanionFiles;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.ReducedFolderFiles;
import dev.lasermesh.core.reduce.ReducedMatrix;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.ReductionReport;
import dev.lasermesh.core.reduce.ReductionResult;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.reduce.StorageTotals;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.tensor.ModelWriter;
import dev.lasermesh.core.tensor.NamedTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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
 * Each replaced matrix is streamed in blocks of rows ({@link ReplacedMatrixStream}), so assembling a model
 * whose matrices are larger than the heap holds one block at a time, never a whole matrix (issue 13), and
 * a failure names the step it happened in ({@link AssemblyFailure}).
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
     * @param method     a calibrated method's section (DESIGN §7.4: per matrix the activation error next to the
     *                   weight error, as {@code lasermesh run --method} reports it); null for W's own SVD
     */
    public record Input(Path model, Path outDir, RankPolicySpec policy, OutputForm form, List<MatrixAnalysis> analyses,
                        Map<String, ReductionOutput> reductions, SearchOutcome outcome, Map<String, Object> perplexity,
                        MethodTruncation.Report method) {
    }

    /** About how many float64 values one block of a streamed matrix holds: 8 MiB. */
    static final int BLOCK_VALUES = 1 << 20;

    private final ArtifactTensors artifacts;
    private final PathRoots modelRoots;
    private final int blockValues;

    /**
     * @param artifacts  reads the reducers' tensors from the artifact store
     * @param modelRoots the roots the input model must lie in
     */
    public OutputAssembler(ArtifactTensors artifacts, PathRoots modelRoots) {
        this(artifacts, modelRoots, BLOCK_VALUES);
    }

    /** An assembler that streams matrices in blocks of about {@code blockValues} values (tests use small ones). */
    OutputAssembler(ArtifactTensors artifacts, PathRoots modelRoots, int blockValues) {
        this.artifacts = artifacts;
        this.modelRoots = modelRoots;
        this.blockValues = blockValues;
    }

    /**
     * Writes the output folder and returns its report (also written there).
     *
     * @throws AssemblyFailure naming the step, with the cause: an {@link InvalidInputException} when the
     *                         model folder or one of its model files lies outside the model roots, a
     *                         replaced matrix has no reduction or a stored tensor does not match its
     *                         reference; any other exception or an {@link OutOfMemoryError} on the way
     */
    public ReductionReport write(Input in) {
        Path model = AssemblyFailure.during("checking the input model",
                () -> ModelFolders.requireInside(modelRoots, in.model(), "model"));
        Map<String, Object> policy = AnalysisReport.policyView(in.policy());
        Map<String, ReductionResult> results = new ConcurrentHashMap<>();
        Map<String, List<NamedTensor>> rewrites = new LinkedHashMap<>();
        try (ModelSource source = AssemblyFailure.during("opening the input model", () -> ModelSource.open(model))) {
            AssemblyFailure.during("collecting the reductions", () -> {
                ReducedFolderFiles.requireLoadable(source.catalogue(), storageForm(in.form()), in.analyses().stream()
                        .filter(ReducedModelWriter::replaces).map(MatrixAnalysis::matrix).toList());
                for (MatrixAnalysis analysis : in.analyses()) {
                    if (ReducedModelWriter.replaces(analysis)) {
                        ReplacedMatrixStream stream = new ReplacedMatrixStream(artifacts, source, analysis.matrix(),
                                analysis.summary().orElseThrow(), reduction(in, analysis), blockValues);
                        Consumer<ReductionResult> done = r -> results.put(analysis.matrix().name(), r);
                        rewrites.put(analysis.matrix().name(),
                                in.form() == OutputForm.DENSE ? stream.dense(done) : stream.factored(done));
                    }
                }
            });
            AssemblyFailure.during("writing the model files", () -> ModelWriter.rewrite(source.tensors(), in.outDir(),
                    rewrites));
        }
        AssemblyFailure.during("copying the companion files", () -> CompanionFiles.copy(model, in.outDir(),
                modelRoots::holds));
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
        ReductionReport evaluated = in.outcome() == null ? report : report.withEvaluation(in.outcome(), in.perplexity());
        ReductionReport written = in.method() == null ? evaluated : evaluated.withMethod(in.method());
        AssemblyFailure.during("writing the report", () -> {
            ReducedFolderFiles.write(in.model(), in.outDir(), storageForm(in.form()), reported);
            ReducedModelWriter.writeReport(in.outDir(), written);
        });
        return written;
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
