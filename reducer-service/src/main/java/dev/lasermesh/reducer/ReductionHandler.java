package dev.lasermesh.reducer;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.worker.TaskHandler;
import dev.lasermesh.contracts.worker.TaskMatrices;
import dev.lasermesh.contracts.worker.TaskMethods;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.DenseReduction;
import dev.lasermesh.core.reduce.FactoredReduction;
import dev.lasermesh.core.reduce.MatrixTruncator;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A reduction task (DESIGN §2 step 4): truncates one matrix to rank k with core's
 * {@link MatrixTruncator} and stores it in the artifact store ({@link ReductionFiles}). The dense form
 * is W_k in float64 encoded to the matrix's dtype (round to nearest even), byte for byte what
 * {@code ReducedModelWriter} writes into a reduced model; the factored form is its two factors.
 *
 * <p>The task carries no spectrum, so the reducer computes the singular values itself for the error
 * accounting (energy kept, Eckart–Young error), besides the top-k triplets of the truncation.
 *
 * <p>A task with a calibrated method (DESIGN §7.4) takes W_k from the method's factors and its accounting
 * from the method's spectrum ({@link TaskMethods}: core's {@code MethodTruncation}, reading the merged
 * calibration statistics from the artifact store), and records the activation error next to the weight
 * error, as the standalone's {@code --method} does.
 *
 * <p>A task whose transform quantizes is computed by {@link QuantizedReduction} (the quantization study),
 * one whose transform carries a LoRA recipe by {@link LoraReduction} (the LoRA order study), one whose transform
 * carries a methods-study cell by {@link MethodCellReduction} (the methods study).
 *
 * <p>A model that resolves outside the model roots fails the task ({@link ModelFolders}), checked again
 * here since its files may have become links elsewhere after the job was submitted.
 */
public final class ReductionHandler implements TaskHandler<ReductionTask, ReductionResult> {

    private final LinearAlgebra linearAlgebra;
    private final MatrixTruncator truncator;
    private final QuantizedReduction quantized;
    private final LoraReduction lora;
    private final MethodCellReduction methodCell;
    private final ReductionFiles files;
    private final Path artifactRoot;
    private final PathRoots modelRoots;

    /**
     * @param linearAlgebra the backend for singular values and the top-k SVD
     * @param artifactRoot  the artifact store's root folder
     * @param modelRoots    the roots the tasks' models must lie in
     */
    public ReductionHandler(LinearAlgebra linearAlgebra, Path artifactRoot, PathRoots modelRoots) {
        this.linearAlgebra = linearAlgebra;
        this.truncator = new MatrixTruncator(linearAlgebra);
        this.quantized = new QuantizedReduction(linearAlgebra);
        this.lora = new LoraReduction(linearAlgebra, modelRoots);
        this.methodCell = new MethodCellReduction(linearAlgebra, artifactRoot);
        this.files = new ReductionFiles(artifactRoot);
        this.artifactRoot = artifactRoot;
        this.modelRoots = modelRoots;
    }

    @Override
    public Class<ReductionTask> taskType() {
        return ReductionTask.class;
    }

    @Override
    public ReductionResult handle(ReductionTask task) {
        long start = System.nanoTime();
        Path path = ModelFolders.requireInside(modelRoots, Path.of(task.modelPath()), "modelPath");
        try (ModelSource model = ModelSource.open(path)) {
            MatrixRef matrix = TaskMatrices.resolve(model, task.matrix());
            int k = task.truncates() ? Math.min(task.rank(), matrix.minDim()) : matrix.minDim();
            List<TensorLayout> layout = TensorLayout.of(matrix, task.form(), k, QuantizedReduction.dtype(task, matrix));
            Optional<StoredReduction> existing = files.existing(task, layout);
            StoredReduction stored = existing.isPresent() ? existing.get() : files.publish(task, compute(model, matrix,
                    task, k, layout));
            return ReductionResult.completed(task, stored.output((System.nanoTime() - start) / 1e9));
        }
    }

    private Truncation compute(ModelSource model, MatrixRef matrix, ReductionTask task, int k, List<TensorLayout> layout) {
        if (LoraReduction.applies(task)) {
            return lora.apply(model, matrix, task, layout);
        }
        if (MethodCellReduction.applies(task)) {
            return methodCell.apply(model, matrix, task, layout);
        }
        return QuantizedReduction.quantizes(task) ? quantized.apply(model, matrix, task, k, layout)
                : task.method() != null ? truncate(model, matrix, task, k, layout)
                : truncate(model, matrix, task.form(), k, layout, truncator,
                        linearAlgebra.singularValues(model.readMatrix(matrix)));
    }

    /** A calibrated method's truncation: its spectrum for the accounting, its factors, its errors. */
    private Truncation truncate(ModelSource model, MatrixRef matrix, ReductionTask task, int k,
                                List<TensorLayout> layout) {
        MethodTruncation method = TaskMethods.truncation(task.method(), artifactRoot, linearAlgebra);
        double[] spectrum = method.of(matrix, model.readMatrix(matrix)).values();
        Truncation t = truncate(model, matrix, task.form(), k, layout, new MatrixTruncator(linearAlgebra, method),
                spectrum);
        return new Truncation(t.layout(), t.values(), t.rank(), t.frobeniusError(), t.energyKept(), t.bytesBefore(),
                t.bytesAfter(), t.backend(), method.report().matrices().get(matrix.name()));
    }

    private Truncation truncate(ModelSource model, MatrixRef matrix, OutputForm form, int k, List<TensorLayout> layout,
                                MatrixTruncator by, double[] singularValues) {
        long bytesBefore = matrix.elementCount() * matrix.dtype().byteSize();
        if (form == OutputForm.DENSE) {
            DenseReduction dense = by.dense(model, matrix, singularValues, k);
            return new Truncation(layout, List.of(dense.reconstruction().data()), k, dense.result().error(),
                    dense.result().energyKept(), bytesBefore, TensorLayout.bytes(layout), linearAlgebra.name());
        }
        FactoredReduction factored = by.factored(model, matrix, singularValues, k);
        return new Truncation(layout, List.of(factored.factors().a().data(), factored.factors().b().data()), k,
                factored.result().error(), factored.result().energyKept(), bytesBefore, TensorLayout.bytes(layout),
                linearAlgebra.name());
    }

    @Override
    public boolean succeeded(ReductionResult result) {
        return result.succeeded();
    }

    @Override
    public ReductionResult failed(ReductionTask task, TaskFailure failure) {
        return ReductionResult.failed(task, failure);
    }
}
