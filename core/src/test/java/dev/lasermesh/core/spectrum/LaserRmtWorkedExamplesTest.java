package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact worked examples of DESIGN §3.1 (also anchors-algorithms §1.1), given there to six
 * decimals: compared to 5e-7 absolute.
 */
class LaserRmtWorkedExamplesTest {

    private static final double SIX_DECIMALS = 5e-7;

    private final LaserRmtPolicy policy = new LaserRmtPolicy();

    @Test
    void hundredToOneOnASquareMatrix() {
        SpectrumSummary summary = SpectrumSummary.of(
                new SingularSpectrum(WorkedExamples.descending100To1(), 100, 100), policy);
        RankDecision d = summary.decision();
        assertEquals(36.693847, d.inputs().get("sigma"), SIX_DECIMALS);
        assertEquals(1.0, d.inputs().get("beta"), 0);
        assertEquals(73.387695, d.threshold(), SIX_DECIMALS);
        assertEquals(27, d.k());
        assertEquals(0.869678, summary.snr(), SIX_DECIMALS);
        assertEquals(0.0086968, summary.snrOverSmax(), 5e-8);
    }

    @Test
    void hundredToOneOnARectangularMatrixEitherWayRound() {
        for (int[] shape : new int[][] {{100, 400}, {400, 100}}) {
            SpectrumSummary summary = SpectrumSummary.of(
                    new SingularSpectrum(WorkedExamples.descending100To1(), shape[0], shape[1]), policy);
            assertEquals(0.25, summary.decision().inputs().get("beta"), 0);
            assertEquals(55.040771, summary.decision().threshold(), SIX_DECIMALS);
            assertEquals(45, summary.decision().k());
            assertEquals(2.279221, summary.snr(), SIX_DECIMALS);
        }
    }

    @Test
    void smallSpectrumOnSquareAndRectangularMatrices() {
        SpectrumSummary square = SpectrumSummary.of(new SingularSpectrum(WorkedExamples.smallEight(), 8, 8), policy);
        assertEquals(1.853225, square.decision().inputs().get("sigma"), SIX_DECIMALS);
        assertEquals(3.706449, square.decision().threshold(), SIX_DECIMALS);
        assertEquals(2, square.decision().k());
        assertEquals(1.666667, square.snr(), SIX_DECIMALS);

        SpectrumSummary wide = SpectrumSummary.of(new SingularSpectrum(WorkedExamples.smallEight(), 8, 32), policy);
        assertEquals(2.779837, wide.decision().threshold(), SIX_DECIMALS);
        assertEquals(3, wide.decision().k());
        assertEquals(3.0, wide.snr(), 1e-15);
        assertEquals(0.3, wide.snrOverSmax(), 1e-15);
    }

    @Test
    void decisionSaysTheRuleIsAHeuristic() {
        RankDecision d = policy.decide(WorkedExamples.smallEight(), 8, 8);
        assertEquals("laserrmt", d.policy());
        assertTrue(d.note().contains("not the MP noise edge"), d.note());
        assertEquals(List.of("q25", "q75", "sigma", "beta"), List.copyOf(d.inputs().keySet()));
    }
}
