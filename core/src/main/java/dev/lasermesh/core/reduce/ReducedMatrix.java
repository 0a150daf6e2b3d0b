package dev.lasermesh.core.reduce;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.lasermesh.core.analysis.MatrixReport;
import java.util.List;

/**
 * One matrix in {@code lasermesh-report.json}: its analysis and, when it was replaced, what the
 * truncation did and the tensor names that now hold it.
 *
 * @param analysis    the spectrum and the rank decision
 * @param reduction   errors and storage of the truncation; absent when the matrix was kept as is
 * @param writtenAs   the output tensor names: the same name (dense), or {@code .0.weight} (√S·Vᵀ,
 *                    k × in) and {@code .1.weight} (U·√S, out × k) for the factored form
 * @param keptBecause why the matrix was not replaced, when it was not
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReducedMatrix(MatrixReport analysis, ReductionResult reduction, List<String> writtenAs,
                            String keptBecause) {
}
