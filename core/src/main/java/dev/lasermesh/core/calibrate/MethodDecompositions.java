package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;

/**
 * Decomposes a matrix by a {@link ReductionMethod}, reading its calibration statistics from a store
 * when the method needs them.
 *
 * @param calibration the statistics; null for {@code svd}
 */
public record MethodDecompositions(ReductionMethod method, CalibrationStore calibration, LinearAlgebra linearAlgebra) {

    public MethodDecompositions {
        if (method.needsCalibration() && calibration == null) {
            throw new InvalidInputException("method " + method.cliName() + " needs calibration statistics "
                    + "(--calibration FILE: a text, or a folder written by a calibration)");
        }
    }

    /** The decomposition of {@code w}, the values of {@code matrix}. */
    public MethodDecomposition of(MatrixRef matrix, DenseMatrix w) {
        return switch (method) {
            case SVD -> PlainSvdDecomposition.of(w, linearAlgebra);
            case WHITENED -> WhitenedDecomposition.of(matrix.name(), w, statistics(matrix).gram(), linearAlgebra);
            case FEATURE -> FeatureDecomposition.of(matrix.name(), w, statistics(matrix));
        };
    }

    /** The calibration statistics of the input of {@code matrix}. */
    public InputStatistics statistics(MatrixRef matrix) {
        LinearInput site = LinearInput.ofTensor(matrix.name());
        if (site == null || matrix.layer() < 0) {
            throw new InvalidInputException(method.cliName() + ": " + matrix.name()
                    + " is not a linear of a decoder layer, so it has no calibration input");
        }
        return calibration.read(matrix.layer(), site);
    }
}
