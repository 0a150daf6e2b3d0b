package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankPolicySpecTest {

    @Test
    void buildsEveryPolicyFromItsNameAndParameter() {
        assertInstanceOf(LaserRmtPolicy.class, RankPolicySpec.named("laserrmt").toPolicy());
        assertInstanceOf(MpEdgePolicy.class, RankPolicySpec.named("mp-edge").toPolicy());
        assertInstanceOf(GavishDonohoPolicy.class, RankPolicySpec.named("gavish-donoho").toPolicy());
        assertEquals(new FractionPolicy(0.1), new RankPolicySpec("fraction", 0.1, null, null, null).toPolicy());
        assertEquals(new EnergyPolicy(0.9), new RankPolicySpec("energy", null, 0.9, null, null).toPolicy());
        assertEquals(new FixedRankPolicy(64), new RankPolicySpec("fixed", null, null, 64, null).toPolicy());
        assertEquals(new ParamsRatioPolicy(0.5), new RankPolicySpec("params", null, null, null, 0.5).toPolicy());
    }

    @Test
    void everyListedNameBuildsAPolicyOfThatName() {
        for (String name : RankPolicySpec.NAMES) {
            RankPolicySpec spec = new RankPolicySpec(name, name.equals("fraction") ? 0.5 : null,
                    name.equals("energy") ? 0.5 : null, name.equals("fixed") ? 1 : null,
                    name.equals("params") ? 0.5 : null);
            assertEquals(name, spec.toPolicy().name());
        }
    }

    @Test
    void unknownOrMissingPolicyListsTheValidNames() {
        assertEquals("unknown rank policy \"svd\", valid: laserrmt, mp-edge, gavish-donoho, fraction, energy, fixed,"
                + " params", message(RankPolicySpec.named("svd")));
        assertEquals("policy (--policy) is required, one of laserrmt, mp-edge, gavish-donoho, fraction, energy,"
                + " fixed, params", message(RankPolicySpec.named(null)));
    }

    @Test
    void missingParameterNamesTheFlagAndRange() {
        assertEquals("policy fraction needs fraction (--fraction R in (0, 1])", message(RankPolicySpec.named("fraction")));
        assertEquals("policy energy needs energy (--energy E in (0, 1])", message(RankPolicySpec.named("energy")));
        assertEquals("policy fixed needs rank (--rank K >= 1)", message(RankPolicySpec.named("fixed")));
        assertEquals("policy params needs paramsRatio (--params-ratio R in (0, 1])",
                message(RankPolicySpec.named("params")));
    }

    @Test
    void parameterTheNamedPolicyDoesNotUseIsRejected() {
        assertEquals("policy laserrmt does not use rank", message(new RankPolicySpec("laserrmt", null, null, 5, null)));
        assertEquals("policy fraction does not use energy, paramsRatio",
                message(new RankPolicySpec("fraction", 0.1, 0.9, null, 0.5)));
    }

    @Test
    void outOfRangeParameterIsReportedByThePolicy() {
        assertEquals("fraction (--fraction) must be in (0, 1], got 1.1",
                message(new RankPolicySpec("fraction", 1.1, null, null, null)));
        assertEquals("rank (--rank) must be >= 1, got -3", message(new RankPolicySpec("fixed", null, null, -3, null)));
    }

    private static String message(RankPolicySpec spec) {
        return assertThrows(IllegalArgumentException.class, spec::toPolicy).getMessage();
    }
}
