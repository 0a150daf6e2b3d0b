package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every policy and statistic against {@code spectra/reference.json} (NumPy + SciPy, made by
 * {@code tools/make_spectra.py}), from the reference's own singular values. Relative tolerance 1e-9
 * for the float32 matrices, 1e-6 for the bfloat16 one; ranks exactly.
 */
class SpectraReferenceTest {

    private static final JsonNode MATRICES = Fixtures.json("spectra/reference.json").get("matrices");

    record Case(String name, JsonNode ref, SingularSpectrum spectrum, double tolerance) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> matrices() {
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : MATRICES.properties()) {
            JsonNode ref = e.getValue();
            SingularSpectrum spectrum = new SingularSpectrum(Fixtures.doubles(ref.get("singular_values")),
                    ref.get("shape").get(0).intValue(), ref.get("shape").get(1).intValue());
            cases.add(new Case(e.getKey(), ref, spectrum, "BF16".equals(ref.get("dtype").textValue()) ? 1e-6 : 1e-9));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void laserRmt(Case c) {
        JsonNode ref = c.ref().get("laserrmt");
        RankDecision d = new LaserRmtPolicy().decide(c.spectrum());
        close(c, ref.get("q25"), d.inputs().get("q25"));
        close(c, ref.get("q75"), d.inputs().get("q75"));
        close(c, ref.get("sigma"), d.inputs().get("sigma"));
        close(c, c.ref().get("beta"), d.inputs().get("beta"));
        close(c, ref.get("threshold"), d.threshold());
        assertEquals(ref.get("k").intValue(), d.k(), c.name());
        SpectrumSummary summary = SpectrumSummary.of(c.spectrum(), new LaserRmtPolicy());
        close(c, ref.get("snr"), summary.snr());
        close(c, ref.get("snr_over_smax"), summary.snrOverSmax());
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void mpEdge(Case c) {
        JsonNode ref = c.ref().get("mp_edge");
        RankDecision d = new MpEdgePolicy().decide(c.spectrum());
        close(c, ref.get("mp_median"), d.inputs().get("mpMedian"));
        close(c, ref.get("median_singular_value"), d.inputs().get("median"));
        close(c, ref.get("sigma"), d.inputs().get("sigma"));
        close(c, ref.get("threshold"), d.threshold());
        assertEquals(ref.get("k").intValue(), d.k(), c.name());
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void gavishDonoho(Case c) {
        JsonNode ref = c.ref().get("gavish_donoho");
        RankDecision d = new GavishDonohoPolicy().decide(c.spectrum());
        close(c, ref.get("lambda_star"), d.inputs().get("lambdaStar"));
        close(c, ref.get("omega"), d.inputs().get("omega"));
        close(c, ref.get("threshold"), d.threshold());
        assertEquals(ref.get("k").intValue(), d.k(), c.name());
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void fractionAndEnergy(Case c) {
        for (Map.Entry<String, JsonNode> e : c.ref().get("fraction").properties()) {
            RankDecision d = new FractionPolicy(Double.parseDouble(e.getKey())).decide(c.spectrum());
            assertEquals(e.getValue().intValue(), d.k(), c.name() + " fraction " + e.getKey());
        }
        for (Map.Entry<String, JsonNode> e : c.ref().get("energy").properties()) {
            RankDecision d = new EnergyPolicy(Double.parseDouble(e.getKey())).decide(c.spectrum());
            assertEquals(e.getValue().intValue(), d.k(), c.name() + " energy " + e.getKey());
            assertTrue(d.inputs().get("energyKept") >= Double.parseDouble(e.getKey()), c.name());
        }
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void frobeniusErrorAndConditionNumber(Case c) {
        double[] s = c.spectrum().values();
        for (Map.Entry<String, JsonNode> e : c.ref().get("frobenius_error_at_k").properties()) {
            close(c, e.getValue(), SpectralStatistics.frobeniusErrorAtRank(s, Integer.parseInt(e.getKey())));
        }
        close(c, c.ref().get("condition_number"), SpectralStatistics.conditionNumber(s));
    }

    private static void close(Case c, JsonNode expected, double actual) {
        double e = expected.doubleValue();
        if (Double.isInfinite(e) || e == 0) {
            assertEquals(e, actual, 0, c.name());
        } else {
            assertEquals(e, actual, c.tolerance() * Math.abs(e), c.name());
        }
    }
}
