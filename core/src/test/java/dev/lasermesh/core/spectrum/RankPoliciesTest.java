package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The parameterised policies on hand-computed cases, and their limits. */
class RankPoliciesTest {

    private static final double[] SMALL = WorkedExamples.smallEight();

    @Test
    void fractionIsTheFloorOfRhoTimesMinDimensionAtLeastOne() {
        assertEquals(10, new FractionPolicy(0.1).decide(WorkedExamples.descending100To1(), 100, 400).k());
        assertEquals(1, new FractionPolicy(0.01).decide(WorkedExamples.descending100To1(), 400, 100).k());
        assertEquals(1, new FractionPolicy(0.1).decide(SMALL, 8, 8).k());
        assertEquals(3, new FractionPolicy(0.49).decide(SMALL, 8, 8).k());
        RankDecision all = new FractionPolicy(1).decide(SMALL, 8, 32);
        assertEquals(8, all.k());
        assertNull(all.threshold());
        assertEquals(1.0, all.inputs().get("fraction"), 0);
    }

    /** ΣS² = 100+25+9+4+4 = 142; cumulative 100, 125, 134, 138, 139, ... */
    @Test
    void energyIsTheSmallestRankReachingTheShare() {
        assertEquals(1, new EnergyPolicy(100.0 / 142).decide(SMALL, 8, 8).k());
        assertEquals(2, new EnergyPolicy(0.71).decide(SMALL, 8, 8).k());
        assertEquals(3, new EnergyPolicy(0.9).decide(SMALL, 8, 8).k());
        RankDecision full = new EnergyPolicy(1).decide(SMALL, 8, 8);
        assertEquals(8, full.k());
        assertEquals(1.0, full.inputs().get("energyKept"), 0);
        assertEquals(125.0 / 142, new EnergyPolicy(0.8).decide(SMALL, 8, 8).inputs().get("energyKept"), 1e-15);
        assertEquals(1, new EnergyPolicy(1).decide(new double[] {3, 0, 0, 0}, 4, 4).k());
        assertEquals(2, new EnergyPolicy(1).decide(new double[] {3, 2, 0, 0}, 4, 4).k());
        assertEquals(1, new EnergyPolicy(0.5).decide(new double[] {0, 0}, 2, 3).k(), "zero matrix");
    }

    @Test
    void fixedRankIsClampedToTheSmallerDimensionAndSaysSo() {
        RankDecision inside = new FixedRankPolicy(5).decide(SMALL, 8, 32);
        assertEquals(5, inside.k());
        assertEquals("fixed rank", inside.note());
        RankDecision clamped = new FixedRankPolicy(300).decide(SMALL, 8, 32);
        assertEquals(8, clamped.k());
        assertEquals(300.0, clamped.inputs().get("rank"), 0);
        assertTrue(clamped.note().contains("clamped to min(m,n) = 8"), clamped.note());
    }

    /** 256×704: mn/(m+n) = 180224/960 = 187.73; 4096×11008: 45088768/15104 = 2985.2. */
    @Test
    void paramsRatioGivesTheRankOfTheFactoredBudget() {
        double[] s = new double[256];
        Arrays.fill(s, 1);
        assertEquals(187, new ParamsRatioPolicy(1).decide(s, 256, 704).k());
        assertEquals(93, new ParamsRatioPolicy(0.5).decide(s, 704, 256).k());
        assertEquals(187.0, new ParamsRatioPolicy(0.5).decide(s, 704, 256).inputs().get("breakEvenRank"), 0);
        assertEquals(1, new ParamsRatioPolicy(0.001).decide(s, 256, 704).k());
        assertEquals(4, new ParamsRatioPolicy(1).decide(SMALL, 8, 8).k());
    }

    @Test
    void thresholdPoliciesMayKeepNothing() {
        double[] flat = {1, 1, 1, 1};
        RankDecision d = new LaserRmtPolicy().decide(flat, 4, 4);
        assertEquals(0.0, d.threshold(), 0);
        assertEquals(4, d.k(), "S > 0 is strict but every value is above a zero threshold");
        RankDecision zero = new LaserRmtPolicy().decide(new double[] {0, 0, 0}, 3, 5);
        assertEquals(0, zero.k());
        assertEquals(0, new MpEdgePolicy().decide(flat, 4, 4).k());
        assertEquals(0, new GavishDonohoPolicy().decide(flat, 4, 4).k());
    }

    @Test
    void parameterOutsideItsRangeIsRejectedWithTheRange() {
        assertMessage(() -> new FractionPolicy(0), "fraction (--fraction) must be in (0, 1], got 0.0");
        assertMessage(() -> new FractionPolicy(1.5), "fraction (--fraction) must be in (0, 1], got 1.5");
        assertMessage(() -> new FractionPolicy(Double.NaN), "fraction (--fraction) must be in (0, 1], got NaN");
        assertMessage(() -> new EnergyPolicy(-0.1), "energy (--energy) must be in (0, 1], got -0.1");
        assertMessage(() -> new FixedRankPolicy(0), "rank (--rank) must be >= 1, got 0");
        assertMessage(() -> new ParamsRatioPolicy(2), "paramsRatio (--params-ratio) must be in (0, 1], got 2.0");
    }

    @Test
    void malformedSpectraAreRejected() {
        LaserRmtPolicy policy = new LaserRmtPolicy();
        assertMessage(() -> policy.decide(new double[] {1, 2}, 2, 2), "singular values must be descending");
        assertMessage(() -> policy.decide(new double[] {2, 1}, 3, 4), "a 3x4 matrix has 3 singular values, got 2");
        assertMessage(() -> policy.decide(new double[] {2, -1}, 2, 2), "S[1] = -1.0 is not a finite non-negative");
        assertMessage(() -> policy.decide(new double[] {Double.NaN, 1}, 2, 2), "S[0] = NaN");
        assertMessage(() -> policy.decide(new double[] {Double.POSITIVE_INFINITY, 1}, 2, 2), "S[0] = Infinity");
        assertMessage(() -> policy.decide(new double[0], 0, 2), "matrix shape must be positive");
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
