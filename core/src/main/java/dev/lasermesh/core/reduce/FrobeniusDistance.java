package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Frobenius norms of matrices and of their differences, computed from the elements (not from the
 * singular values) so that they check the truncation independently of Eckart–Young. Rows are summed
 * in parallel into per-row partial sums that are then added in row order, so the result does not
 * depend on the thread count — nor on whether the rows come in one matrix or in consecutive blocks
 * ({@link FrobeniusAccumulator}).
 */
public final class FrobeniusDistance {

    private FrobeniusDistance() {
    }

    /** ‖m‖_F. */
    public static double norm(DenseMatrix m) {
        return Math.sqrt(squares(m, 0));
    }

    /** ‖exact − approx‖_F. */
    public static double between(DenseMatrix exact, DenseMatrix approx) {
        return between(exact, approx, DoubleUnaryOperator.identity());
    }

    /** ‖exact − rounding(approx)‖_F, rounding applied element by element (e.g. to the tensor's dtype). */
    public static double between(DenseMatrix exact, DenseMatrix approx, DoubleUnaryOperator rounding) {
        return Math.sqrt(squaredDifferences(exact, approx, rounding, 0));
    }

    /** {@code total} plus the squares of {@code m}'s elements, added row by row in order. */
    static double squares(DenseMatrix m, double total) {
        double[] d = m.data();
        return sumOverRows(m.rows(), m.cols(), at -> d[at] * d[at], total);
    }

    /** {@code total} plus the squared differences exact − rounding(approx), added row by row in order. */
    static double squaredDifferences(DenseMatrix exact, DenseMatrix approx, DoubleUnaryOperator rounding,
                                     double total) {
        if (exact.rows() != approx.rows() || exact.cols() != approx.cols()) {
            throw new IllegalArgumentException("cannot compare " + exact + " with " + approx);
        }
        double[] e = exact.data();
        double[] a = approx.data();
        return sumOverRows(exact.rows(), exact.cols(), at -> {
            double difference = e[at] - rounding.applyAsDouble(a[at]);
            return difference * difference;
        }, total);
    }

    private static double sumOverRows(int rows, int cols, IntToDoubleFunction term, double start) {
        double[] rowSums = new double[rows];
        IntStream.range(0, rows).parallel().forEach(i -> {
            double sum = 0;
            for (int j = i * cols, end = j + cols; j < end; j++) {
                sum += term.applyAsDouble(j);
            }
            rowSums[i] = sum;
        });
        double total = start;
        for (double s : rowSums) {
            total += s;
        }
        return total;
    }
}
