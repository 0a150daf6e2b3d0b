package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import java.util.function.DoubleUnaryOperator;

/**
 * ‖W‖_F and ‖W − W'‖_F of two matrices that arrive in consecutive blocks of rows, so that neither
 * needs to be held whole (the mesh's output assembly streams them). The squares are added row by row
 * in row order, as {@link FrobeniusDistance} adds them for whole matrices, so the results are equal to
 * {@link FrobeniusDistance#norm} and {@link FrobeniusDistance#between} bit for bit whatever the blocks.
 */
public final class FrobeniusAccumulator {

    private double squares;
    private double squaredDifferences;

    /** Adds the next rows of W ({@code exact}) and the same rows of W' ({@code approx}, same shape). */
    public void add(DenseMatrix exact, DenseMatrix approx) {
        squaredDifferences = FrobeniusDistance.squaredDifferences(exact, approx, DoubleUnaryOperator.identity(),
                squaredDifferences);
        squares = FrobeniusDistance.squares(exact, squares);
    }

    /** ‖W‖_F over the rows added so far. */
    public double norm() {
        return Math.sqrt(squares);
    }

    /** ‖W − W'‖_F over the rows added so far. */
    public double distance() {
        return Math.sqrt(squaredDifferences);
    }
}
