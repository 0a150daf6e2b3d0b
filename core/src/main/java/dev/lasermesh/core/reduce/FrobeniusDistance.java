package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Frobenius norms of matrices and of their differences, computed from the elements (not from the
 * singular values) so that they check the truncation independently of Eckart–Young. Rows are summed
 * in parallel into per-row partial sums that are then added in row order, so the result does not
 * depend on the thread count.
 */
public final class FrobeniusDistance {

    private FrobeniusDistance() {
    }

    /** ‖m‖_F. */
    public static double norm(DenseMatrix m) {
        double[] d = m.data();
        return Math.sqrt(sumOverRows(m.rows(), m.cols(), at -> d[at] * d[at]));
    }

    /** ‖exact − approx‖_F. */
    public static double between(DenseMatrix exact, DenseMatrix approx) {
        return between(exact, approx, DoubleUnaryOperator.identity());
    }

    /** ‖exact − rounding(approx)‖_F, rounding applied element by element (e.g. to the tensor's dtype). */
    public static double between(DenseMatrix exact, DenseMatrix approx, DoubleUnaryOperator rounding) {
        if (exact.rows() != approx.rows() || exact.cols() != approx.cols()) {
            throw new IllegalArgumentException("cannot compare " + exact + " with " + approx);
        }
        double[] e = exact.data();
        double[] a = approx.data();
        return Math.sqrt(sumOverRows(exact.rows(), exact.cols(), at -> {
            double difference = e[at] - rounding.applyAsDouble(a[at]);
            return difference * difference;
        }));
    }

    private static double sumOverRows(int rows, int cols, IntToDoubleFunction term) {
        double[] rowSums = new double[rows];
        IntStream.range(0, rows).parallel().forEach(i -> {
            double sum = 0;
            for (int j = i * cols, end = j + cols; j < end; j++) {
                sum += term.applyAsDouble(j);
            }
            rowSums[i] = sum;
        });
        double total = 0;
        for (double s : rowSums) {
            total += s;
        }
        return total;
    }
}
