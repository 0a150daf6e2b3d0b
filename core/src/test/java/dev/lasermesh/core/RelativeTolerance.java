package dev.lasermesh.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comparison of a computed number with a reference number to a relative tolerance. */
public final class RelativeTolerance {

    private RelativeTolerance() {
    }

    /** |actual − expected| ≤ tolerance·|expected|; the message names what, both numbers and the tolerance. */
    public static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (relative tolerance " + tolerance + ")");
    }
}
