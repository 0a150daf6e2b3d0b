package dev.lasermesh.analyzer;

import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.job.ModelFolders;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.AnalysisOutput;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.worker.TaskHandler;
import dev.lasermesh.contracts.worker.TaskMatrices;
import dev.lasermesh.contracts.worker.TaskMethods;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.ModelSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An analysis task (DESIGN §2 step 2): the singular values of one matrix, read from the memory-mapped
 * model, and the task's rank policy applied to them by core's {@link MatrixAnalyzer}. Weights that
 * cannot be analysed (NaN, infinity) fail the task with the analyzer's reason; so does a model that
 * resolves outside the model roots ({@link ModelFolders}), checked again here since its files may have
 * become links elsewhere after the job was submitted.
 *
 * <p>A task with a calibrated method (DESIGN §7.4) gives the policy the method's spectrum instead
 * ({@link TaskMethods}), computed from the calibration statistics in the artifact store.
 */
public final class AnalysisHandler implements TaskHandler<AnalysisTask, AnalysisResult> {

    private final LinearAlgebra linearAlgebra;
    private final Optional<Path> artifactRoot;
    private final PathRoots modelRoots;

    /**
     * @param linearAlgebra the backend for the singular values
     * @param artifactRoot  the artifact store's root folder (calibration statistics are read from it); empty
     *                      when the analyzer has none configured, so calibrated tasks fail
     * @param modelRoots    the roots the tasks' models must lie in
     */
    public AnalysisHandler(LinearAlgebra linearAlgebra, Optional<Path> artifactRoot, PathRoots modelRoots) {
        this.linearAlgebra = linearAlgebra;
        this.artifactRoot = artifactRoot;
        this.modelRoots = modelRoots;
    }

    @Override
    public Class<AnalysisTask> taskType() {
        return AnalysisTask.class;
    }

    @Override
    public AnalysisResult handle(AnalysisTask task) {
        long start = System.nanoTime();
        Path path = ModelFolders.requireInside(modelRoots, Path.of(task.modelPath()), "modelPath");
        try (ModelSource model = ModelSource.open(path)) {
            MatrixAnalyzer analyzer = task.method() == null
                    ? new MatrixAnalyzer(linearAlgebra, task.policy().toPolicy())
                    : new MatrixAnalyzer(linearAlgebra, task.policy().toPolicy(),
                            TaskMethods.truncation(task.method(), artifactRoot.orElseThrow(() -> new InvalidInputException(
                                    "method " + task.method().method() + " reads calibration statistics from the "
                                            + "artifact store, and this analyzer has none (set lasermesh.artifacts)")),
                                    linearAlgebra));
            MatrixAnalysis analysis = analyzer.analyze(model, TaskMatrices.resolve(model, task.matrix()));
            if (!analysis.succeeded()) {
                return AnalysisResult.failed(task, new TaskFailure(analysis.error().orElseThrow(), false));
            }
            return AnalysisResult.completed(task, new AnalysisOutput(analysis.summary().orElseThrow(),
                    (System.nanoTime() - start) / 1e9, analysis.method().orElseThrow()));
        }
    }

    @Override
    public boolean succeeded(AnalysisResult result) {
        return result.succeeded();
    }

    @Override
    public AnalysisResult failed(AnalysisTask task, TaskFailure failure) {
        return AnalysisResult.failed(task, failure);
    }
}
