package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuantilesTest {

    /** Values from DESIGN §3.1 / anchors-algorithms §1.1 (NumPy linear quantiles). */
    @Test
    void reproducesTheDesignAnchors() {
        double[] s = WorkedExamples.descending100To1();
        assertEquals(25.75, Quantiles.quantile(s, 0.25), 0);
        assertEquals(75.25, Quantiles.quantile(s, 0.75), 0);
        double[] small = WorkedExamples.smallEight();
        assertEquals(1.0, Quantiles.quantile(small, 0.25), 0);
        assertEquals(3.5, Quantiles.quantile(small, 0.75), 0);
    }

    /** numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]. */
    @Test
    void interpolatesAtPTimesNMinusOne() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1.0, Quantiles.quantile(v, 0), 0);
        assertEquals(1.75, Quantiles.quantile(v, 0.25), 0);
        assertEquals(2.5, Quantiles.quantile(v, 0.5), 0);
        assertEquals(3.7, Quantiles.quantile(v, 0.9), 1e-15);
        assertEquals(4.0, Quantiles.quantile(v, 1), 0);
        assertEquals(7.0, Quantiles.quantile(new double[] {7}, 0.3), 0);
    }

    @Test
    void medianIsTheMiddleOrTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.0, Quantiles.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, Quantiles.median(new double[] {4, 1, 3, 2}), 0);
        assertEquals(50.5, Quantiles.median(WorkedExamples.descending100To1()), 0);
    }

    @Test
    void rejectsEmptySamplesNaNAndLevelsOutsideTheUnitInterval() {
        IllegalArgumentException level = assertThrows(IllegalArgumentException.class,
                () -> Quantiles.quantile(new double[] {1, 2}, 1.5));
        assertTrue(level.getMessage().contains("[0, 1]"), level.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Quantiles.quantile(new double[] {1, 2}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.median(new double[0]));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Quantiles.median(new double[] {1, Double.NaN}));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
    }
}
