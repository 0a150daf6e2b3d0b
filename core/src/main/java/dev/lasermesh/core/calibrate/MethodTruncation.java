package dev.lasermesh.core.calibrate;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.reduce.FrobeniusDistance;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixTruncator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ReductionMethod} plugged into the analysis (the policy sees the method's spectrum) and the
 * truncation (W_k from the method's factors) of {@code reduce} and {@code run}, recording for the report,
 * per matrix, the activation error ‖XWᵀ − XW_kᵀ‖/‖XWᵀ‖ on the calibration inputs next to the weight
 * error ‖W − W_k‖/‖W‖.
 */
public final class MethodTruncation implements MatrixAnalyzer.MatrixSpectrum, MatrixTruncator.MethodFactors {

    /** Errors of one truncated matrix. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MatrixErrors(int rank, double activationError, double relativeWeightError, double lambda) {
    }

    /** The report's {@code method} section. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(String name, String spectrum, String calibration, Map<String, MatrixErrors> matrices) {
    }

    private final MethodDecompositions decompositions;
    private final Map<String, MatrixErrors> errors = new ConcurrentHashMap<>();

    public MethodTruncation(MethodDecompositions decompositions) {
        this.decompositions = decompositions;
    }

    @Override
    public Labelled of(MatrixRef matrix, DenseMatrix weights) {
        return new Labelled(decompositions.of(matrix, weights).spectrum(),
                decompositions.method().cliName() + ": " + decompositions.method().spectrum());
    }

    @Override
    public LowRankFactors of(MatrixRef matrix, DenseMatrix weights, int k) {
        MethodDecomposition d = decompositions.of(matrix, weights);
        LowRankFactors factors = d.factors(k);
        if (decompositions.calibration() != null) {
            DenseMatrix wk = factors.product();
            errors.put(matrix.name(), new MatrixErrors(k,
                    ActivationError.relative(weights, wk, decompositions.statistics(matrix).gram()),
                    FrobeniusDistance.between(weights, wk) / FrobeniusDistance.norm(weights), d.lambda()));
        }
        return factors;
    }

    /** What the method did to the matrices truncated so far. */
    public Report report() {
        return report(decompositions.method(),
                decompositions.calibration() == null ? null : decompositions.calibration().folder().toString(), errors);
    }

    /**
     * The report's section for {@code method} from per-matrix errors recorded elsewhere (the mesh's reducers
     * record them one matrix each), in the same shape as {@link #report()}.
     */
    public static Report report(ReductionMethod method, String calibration, Map<String, MatrixErrors> errors) {
        return new Report(method.cliName(), method.spectrum(), calibration, new TreeMap<>(errors));
    }
}
