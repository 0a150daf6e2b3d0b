package dev.lasermesh.gateway.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job's output saves, per module type and in total: parameters and bytes of the selected
 * matrices before, after as a dense reconstruction (same shape, so nothing is saved: LASER's form),
 * and after as two factors (k·(m + n) numbers), plus the bytes the output actually holds for them.
 *
 * @param modules one row per module type, in the order the matrices were listed
 * @param total   the sum of the rows
 */
public record CompressionTable(List<Row> modules, Row total) {

    /**
     * One module type.
     *
     * @param module              module type, or {@code all} for the total
     * @param matrices            selected matrices
     * @param reduced             of them, those reduced in the output
     * @param parametersBefore    Σ rows·cols
     * @param parametersDense     the same: a dense reconstruction keeps the shape
     * @param parametersFactored  Σ k·(rows + cols) over the reduced, rows·cols over the others
     * @param bytesBefore         parametersBefore in the model's dtype
     * @param bytesDense          parametersDense in the model's dtype
     * @param bytesFactored       parametersFactored in the model's dtype
     * @param bytesWritten        what the output holds: the reductions' {@code bytesAfter}, else bytesBefore
     */
    public record Row(String module, int matrices, int reduced, long parametersBefore, long parametersDense,
                      long parametersFactored, long bytesBefore, long bytesDense, long bytesFactored,
                      long bytesWritten) {

        static Row of(String module, MatrixFootprint m) {
            int size = m.dtype().byteSize();
            long dense = m.denseParameters();
            long factored = m.factoredParameters();
            return new Row(module, 1, m.reduction() == null ? 0 : 1, dense, dense, factored, dense * size,
                    dense * size, factored * size, m.reduction() == null ? dense * size : m.reduction().bytesAfter());
        }

        Row plus(Row o) {
            return new Row(module, matrices + o.matrices, reduced + o.reduced, parametersBefore + o.parametersBefore,
                    parametersDense + o.parametersDense, parametersFactored + o.parametersFactored,
                    bytesBefore + o.bytesBefore, bytesDense + o.bytesDense, bytesFactored + o.bytesFactored,
                    bytesWritten + o.bytesWritten);
        }
    }

    /** The table of these matrices. */
    public static CompressionTable of(List<MatrixFootprint> matrices) {
        Map<String, Row> rows = new LinkedHashMap<>();
        Row total = new Row("all", 0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (MatrixFootprint m : matrices) {
            rows.merge(m.module(), Row.of(m.module(), m), Row::plus);
            total = total.plus(Row.of("all", m));
        }
        return new CompressionTable(new ArrayList<>(rows.values()), total);
    }
}
