package dev.lasermesh.core.reduce;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * {@code lasermesh-report.json}, written next to a reduced model: what was reduced, how, and what it
 * cost.
 *
 * @param model     the input model
 * @param output    the output folder
 * @param policy    the rank policy ({@code name} and its parameters)
 * @param backend   the linear algebra backend
 * @param form      {@code dense} (same shapes; loads as is) or {@code factored}
 * @param notes     caveats worth reading with the numbers (e.g. what laserrmt's threshold is)
 * @param matrices  every analysed matrix, reduced or not
 * @param totals    parameters and bytes of the replaced matrices, before and after
 * @param search    the search outcome, for jobs that searched (absent for plain reductions)
 * @param perplexity perplexity before and after, when the job evaluated
 * @param quantization what quantizing the output did, when it was asked for
 *                     ({@link dev.lasermesh.core.quant.QuantizationReport})
 * @param method    the calibrated method and its per-matrix activation errors, when one was used
 *                  ({@link dev.lasermesh.core.calibrate.MethodTruncation.Report})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReductionReport(String model, String output, Map<String, Object> policy, String backend, String form,
                              List<String> notes, List<ReducedMatrix> matrices, StorageTotals totals, Object search,
                              Object perplexity, Object quantization, Object method) {

    /** The report with a search outcome and perplexities added. */
    public ReductionReport withEvaluation(Object searchOutcome, Object perplexityChange) {
        return new ReductionReport(model, output, policy, backend, form, notes, matrices, totals, searchOutcome,
                perplexityChange, quantization, method);
    }

    /** The report with the quantization of the output added. */
    public ReductionReport withQuantization(Object quantizationReport) {
        return new ReductionReport(model, output, policy, backend, form, notes, matrices, totals, search, perplexity,
                quantizationReport, method);
    }

    /** The report with the calibrated method's section added. */
    public ReductionReport withMethod(Object methodReport) {
        return new ReductionReport(model, output, policy, backend, form, notes, matrices, totals, search, perplexity,
                quantization, methodReport);
    }
}
