package dev.lasermesh.core.analysis;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.SingularValues;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.TensorFormatException;

/**
 * Computes the spectrum of one matrix of a model and applies a rank policy to it. Matrices are read
 * one at a time from the memory-mapped model (DESIGN §4: never load a whole model to analyse it).
 */
public final class MatrixAnalyzer {

    private final LinearAlgebra linearAlgebra;
    private final RankPolicy policy;

    public MatrixAnalyzer(LinearAlgebra linearAlgebra, RankPolicy policy) {
        this.linearAlgebra = linearAlgebra;
        this.policy = policy;
    }

    /** The policy decisions are made with. */
    public RankPolicy policy() {
        return policy;
    }

    /**
     * Analyses {@code matrix}. Bad weights (NaN or infinite values) fail this matrix only, with a
     * message naming the tensor and the position; so does an empty matrix (a dimension 0), which has
     * no singular values.
     */
    public MatrixAnalysis analyze(ModelSource model, MatrixRef matrix) {
        long start = System.nanoTime();
        try {
            if (matrix.minDim() == 0) {
                throw new TensorFormatException(model.tensors().description() + ": tensor \"" + matrix.name()
                        + "\" is empty (" + matrix.rows() + "x" + matrix.cols() + "), so it has no singular values");
            }
            DenseMatrix weights = model.readMatrix(matrix);
            SingularValues values = linearAlgebra.singularValuesWithMethod(weights);
            SpectrumSummary summary = SpectrumSummary.of(
                    new SingularSpectrum(values.values(), matrix.rows(), matrix.cols()), policy);
            return MatrixAnalysis.succeeded(matrix, summary,
                    linearAlgebra.name() + "/" + values.method().label(), secondsSince(start));
        } catch (InvalidInputException e) {
            return MatrixAnalysis.failed(matrix, e.getMessage(), secondsSince(start));
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
