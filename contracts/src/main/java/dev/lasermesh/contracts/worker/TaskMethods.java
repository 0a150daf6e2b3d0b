package dev.lasermesh.contracts.worker;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.task.CalibratedMethod;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.linalg.LinearAlgebra;
import java.nio.file.Path;

/**
 * The calibrated method of an analysis or reduction task (DESIGN §7.4) as core's {@link MethodTruncation}:
 * its spectrum for the rank policy, its factors for W_k and the activation error for the report, all
 * from the statistics the gateway merged into the artifact store — the same code as the standalone's
 * {@code --method}, so the mesh's numbers are the standalone's.
 */
public final class TaskMethods {

    private TaskMethods() {
    }

    /**
     * The method of {@code method}, reading its statistics under {@code artifactRoot}.
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the folder when it holds no statistics of a
     *                                                   matrix asked for (when that matrix is decomposed)
     */
    public static MethodTruncation truncation(CalibratedMethod method, Path artifactRoot, LinearAlgebra linearAlgebra) {
        CalibrationStore statistics = new CalibrationStore(ArtifactPath.resolve(artifactRoot, method.statistics()));
        return new MethodTruncation(new MethodDecompositions(method.reductionMethod(), statistics, linearAlgebra));
    }
}
