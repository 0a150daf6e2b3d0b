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

    /**
     * The spectrum a policy decides on, and how it was computed: W's singular values by default, a
     * calibrated method's own spectrum otherwise ({@code dev.lasermesh.core.calibrate}).
     */
    @FunctionalInterface
    public interface MatrixSpectrum {
        /** Descending values, one per possible rank, and a label for the report. */
        record Labelled(double[] values, String method) {
        }

        Labelled of(MatrixRef matrix, DenseMatrix weights);
    }

    private final LinearAlgebra linearAlgebra;
    private final RankPolicy policy;
    private final MatrixSpectrum spectrum;

    public MatrixAnalyzer(LinearAlgebra linearAlgebra, RankPolicy policy) {
        this(linearAlgebra, policy, (matrix, weights) -> {
            SingularValues values = linearAlgebra.singularValuesWithMethod(weights);
            return new MatrixSpectrum.Labelled(values.values(), linearAlgebra.name() + "/" + values.method().label());
        });
    }

    /** An analyzer whose policy sees {@code spectrum} instead of W's singular values. */
    public MatrixAnalyzer(LinearAlgebra linearAlgebra, RankPolicy policy, MatrixSpectrum spectrum) {
        this.linearAlgebra = linearAlgebra;
        this.policy = policy;
        this.spectrum = spectrum;
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
            MatrixSpectrum.Labelled values = spectrum.of(matrix, weights);
            SpectrumSummary summary = SpectrumSummary.of(
                    new SingularSpectrum(values.values(), matrix.rows(), matrix.cols()), policy);
            return MatrixAnalysis.succeeded(matrix, summary, values.method(), secondsSince(start));
        } catch (InvalidInputException e) {
            return MatrixAnalysis.failed(matrix, e.getMessage(), secondsSince(start));
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
