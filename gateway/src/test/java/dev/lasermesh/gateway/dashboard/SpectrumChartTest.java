package dev.lasermesh.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.EsdScale;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.gateway.Fixtures;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ESD chart against the independent NumPy/SciPy references of {@code spectra/reference.json}: the
 * policies' thresholds and ranks, the MP bulk edge, and — for pure Gaussian noise — a histogram that
 * the fitted Marchenko–Pastur law predicts bin by bin.
 */
class SpectrumChartTest {

    /** Thresholds are computed from the same float64 singular values with the same formulas as NumPy. */
    private static final double TOLERANCE = 1e-12;

    private static JsonNode matrices;

    @BeforeAll
    static void readReference() throws IOException {
        JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        matrices = mapper.readTree(Fixtures.path("spectra/reference.json").toFile()).get("matrices");
    }

    private static SingularSpectrum spectrum(String name) {
        JsonNode m = matrices.get(name);
        double[] s = new double[m.get("singular_values").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = m.get("singular_values").get(i).asDouble();
        }
        return new SingularSpectrum(s, m.get("shape").get(0).asInt(), m.get("shape").get(1).asInt());
    }

    private static Map<String, SpectrumChart.PolicyLine> byPolicy(SpectrumChart chart) {
        return chart.policies().stream().collect(Collectors.toMap(p -> p.spec().policy(), Function.identity()));
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.abs(expected), what);
    }

    @Test
    void thresholdPoliciesAreDrawnAtTheReferenceThresholds() {
        JsonNode ref = matrices.get("planted-r8-300x700");
        SpectrumChart chart = SpectrumChart.of("planted", spectrum("planted-r8-300x700"), RankPolicySpec.named("laserrmt"),
                60, EsdScale.SINGULAR_VALUES);
        Map<String, SpectrumChart.PolicyLine> lines = byPolicy(chart);
        assertEquals(RankPolicySpec.NAMES, chart.policies().stream().map(p -> p.spec().policy()).toList());
        for (String[] policy : new String[][] {{"laserrmt", "laserrmt"}, {"mp-edge", "mp_edge"},
                {"gavish-donoho", "gavish_donoho"}}) {
            SpectrumChart.PolicyLine line = lines.get(policy[0]);
            assertRelative(ref.get(policy[1]).get("threshold").asDouble(), line.line(), policy[0]);
            assertEquals(ref.get(policy[1]).get("k").asInt(), line.k(), policy[0]);
            assertFalse(line.cut(), policy[0] + " has a threshold of its own");
        }
        assertTrue(lines.get("laserrmt").ofJob());
        assertEquals(1, chart.policies().stream().filter(SpectrumChart.PolicyLine::ofJob).count());
        assertRelative(ref.get("mp_edge").get("threshold").asDouble(), chart.bulk().upper(), "bulk edge = mp-edge threshold");
        assertRelative(ref.get("mp_edge").get("sigma").asDouble(), chart.mpSigma(), "fitted noise level");
    }

    @Test
    void policiesWithoutThresholdCutBetweenTheLastKeptAndTheFirstDroppedValue() {
        JsonNode ref = matrices.get("planted-r8-300x700");
        SingularSpectrum s = spectrum("planted-r8-300x700");
        SpectrumChart chart = SpectrumChart.of("planted", s, new RankPolicySpec("fraction", 0.5, null, null, null), 60,
                EsdScale.SINGULAR_VALUES);
        Map<String, SpectrumChart.PolicyLine> lines = byPolicy(chart);
        assertEquals(ref.get("fraction").get("0.5").asInt(), lines.get("fraction").k(), "the job's own fraction");
        assertTrue(lines.get("fraction").ofJob());
        assertEquals(ref.get("energy").get("0.9").asInt(), lines.get("energy").k(), "illustrative energy 0.9");
        for (SpectrumChart.PolicyLine line : chart.policies()) {
            if (line.cut()) {
                assertEquals(line.k(), s.countAbove(line.line()), line.spec().policy() + " line keeps its k");
            }
        }
    }

    @Test
    void theSquaredScaleSquaresEveryLineAndEdge() {
        SingularSpectrum s = spectrum("planted-r24-640x256");
        SpectrumChart linear = SpectrumChart.of("p", s, null, 40, EsdScale.SINGULAR_VALUES);
        SpectrumChart squared = SpectrumChart.of("p", s, null, 40, EsdScale.SQUARED);
        for (int i = 0; i < linear.policies().size(); i++) {
            double v = linear.policies().get(i).line();
            assertEquals(v * v, squared.policies().get(i).line(), 1e-12 * v * v);
        }
        assertEquals(linear.bulk().upper() * linear.bulk().upper(), squared.bulk().upper(), 1e-12);
        assertTrue(linear.policies().stream().noneMatch(SpectrumChart.PolicyLine::ofJob), "laser-grid jobs have no policy");
    }

    @Test
    void theHistogramAndTheMpCurveAreDensitiesThatIntegrateToOne() {
        for (EsdScale scale : EsdScale.values()) {
            SpectrumChart chart = SpectrumChart.of("p", spectrum("planted-r24-640x256"), null, 60, scale);
            double histogram = 0;
            long values = 0;
            for (int i = 0; i < chart.counts().length; i++) {
                histogram += chart.density()[i] * (chart.edges()[i + 1] - chart.edges()[i]);
                values += chart.counts()[i];
            }
            assertEquals(256, values, scale + ": every singular value binned");
            assertEquals(1, histogram, 1e-12, scale + ": histogram density");
            double[][] curve = chart.mpCurve();
            double step = curve[1][0] - curve[0][0];
            double area = 0;
            for (double[] point : curve) {
                area += point[1] * step;
            }
            // Midpoint rule over the support: the square-root edges cost about 1e-3 at 200 points.
            assertEquals(1, area, 5e-3, scale + ": MP density");
        }
    }

    @Test
    void pureNoiseFollowsTheFittedMarchenkoPasturLawBinByBin() {
        // SciPy's quadrature of the same fitted law gives total variations 0.019 and 0.053 over 30 bins.
        for (String name : new String[] {"noise-512x512", "noise-256x1024"}) {
            SpectrumChart chart = SpectrumChart.of(name, spectrum(name), null, 30, EsdScale.SINGULAR_VALUES);
            double variation = 0;
            double expected = 0;
            for (int i = 0; i < chart.counts().length; i++) {
                variation += Math.abs(chart.counts()[i] - chart.mpExpectedCounts()[i]);
                expected += chart.mpExpectedCounts()[i];
            }
            int m = spectrum(name).maxRank();
            assertEquals(m, expected, 1e-6 * m, name + ": the law places every value somewhere");
            assertTrue(variation / (2 * m) < 0.08, name + ": total variation " + variation / (2 * m));
        }
    }
    /**
     * An encoder matrix (all-MiniLM-L6-v2's layer-5 FFN input, 1536 × 384: more rows than columns, the
     * other way round from the decoder's down projection): the chart's laserRMT line and rank are those
     * of {@code minilm/reference.json} (1e-9 relative), and the histogram holds all 384 singular values.
     */
    @Test
    void anEncoderMatrixIsDrawnAtItsReferenceThreshold() throws IOException {
        String name = "encoder.layer.5.intermediate.dense.weight";
        JsonNode ref = null;
        for (JsonNode m : new ObjectMapper().readTree(Fixtures.path("minilm/reference.json").toFile()).get("matrices")) {
            if (m.get("name").asText().equals(name)) {
                ref = m;
            }
        }
        assertNotNull(ref, name + " in minilm/reference.json");
        double[] s;
        try (ModelSource source = ModelSource.open(Fixtures.path("minilm"))) {
            s = new MatrixAnalyzer(LinearAlgebras.create(), new LaserRmtPolicy())
                    .analyze(source, source.catalogue().byName(name)).summary().orElseThrow().singularValues();
        }
        SpectrumChart chart = SpectrumChart.of(name, new SingularSpectrum(s, 1536, 384), RankPolicySpec.named("laserrmt"),
                60, EsdScale.SINGULAR_VALUES);
        SpectrumChart.PolicyLine laserRmt = byPolicy(chart).get("laserrmt");
        assertEquals(ref.get("threshold").asDouble(), laserRmt.line(), 1e-9 * ref.get("threshold").asDouble());
        assertEquals(ref.get("k").asInt(), laserRmt.k());
        assertEquals(384, Arrays.stream(chart.counts()).sum(), "every singular value in the histogram");
        assertTrue(chart.mpCurve().length > 0, "the MP density is drawn");
    }
}
