package dev.lasermesh.core.analysis;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of analysing one matrix: its spectrum summary and rank decision, or the reason it could
 * not be analysed (e.g. NaN weights). A failure concerns that matrix only; the analysis of the
 * others goes on (DESIGN §5).
 *
 * @param matrix  which matrix
 * @param summary spectrum, decision and statistics; empty when the analysis failed
 * @param method  how the singular values were computed (e.g. {@code openblas/gram-eigen}); empty on failure
 * @param seconds wall time spent on this matrix, reading included
 * @param error   why the analysis failed; empty on success
 */
public record MatrixAnalysis(MatrixRef matrix, Optional<SpectrumSummary> summary, Optional<String> method,
                             double seconds, Optional<String> error) {

    public MatrixAnalysis {
        Objects.requireNonNull(matrix, "matrix");
        if (summary.isPresent() == error.isPresent()) {
            throw new IllegalArgumentException("an analysis has either a summary or an error, not both or neither");
        }
    }

    static MatrixAnalysis succeeded(MatrixRef matrix, SpectrumSummary summary, String method, double seconds) {
        return new MatrixAnalysis(matrix, Optional.of(summary), Optional.of(method), seconds, Optional.empty());
    }

    static MatrixAnalysis failed(MatrixRef matrix, String error, double seconds) {
        return new MatrixAnalysis(matrix, Optional.empty(), Optional.empty(), seconds, Optional.of(error));
    }

    /** Whether the matrix was analysed. */
    public boolean succeeded() {
        return summary.isPresent();
    }
}
