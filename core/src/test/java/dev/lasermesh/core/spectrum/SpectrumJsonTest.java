package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Decisions and summaries travel as JSON (Kafka messages, job store): they must round-trip. */
class SpectrumJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void decisionHasAStableShape() throws Exception {
        RankDecision d = new FixedRankPolicy(5).decide(WorkedExamples.smallEight(), 8, 32);
        assertEquals("{\"policy\":\"fixed\",\"rows\":8,\"cols\":32,\"maxRank\":8,\"inputs\":{\"rank\":5.0},"
                + "\"threshold\":null,\"k\":5,\"note\":\"fixed rank\"}", mapper.writeValueAsString(d));
        RankDecision laser = new LaserRmtPolicy().decide(WorkedExamples.smallEight(), 8, 8);
        String json = mapper.writeValueAsString(laser);
        assertTrue(json.startsWith("{\"policy\":\"laserrmt\",\"rows\":8,\"cols\":8,\"maxRank\":8,"
                + "\"inputs\":{\"q25\":1.0,\"q75\":3.5,\"sigma\":"), json);
        assertEquals(laser, mapper.readValue(json, RankDecision.class));
    }

    @Test
    void summaryWithInfiniteSnrAndNoThresholdRoundTrips() throws Exception {
        double[] s = {4, 3, 3, 3};
        SpectrumSummary summary = SpectrumSummary.of(new SingularSpectrum(s, 4, 64), new FractionPolicy(0.5));
        assertEquals(Double.POSITIVE_INFINITY, summary.snr(), "every value is above laserRMT's threshold");
        String json = mapper.writeValueAsString(summary);
        assertTrue(json.contains("\"snr\":\"Infinity\""), json);
        SpectrumSummary back = mapper.readValue(json, SpectrumSummary.class);
        assertEquals(summary, back);
        assertEquals(2, back.decision().k());
        assertEquals(null, back.decision().threshold());
    }

    @Test
    void histogramRoundTrips() throws Exception {
        EsdHistogram h = EsdHistogram.of(new SingularSpectrum(WorkedExamples.descending100To1(), 100, 400), 10,
                EsdScale.SINGULAR_VALUES);
        assertEquals(h, mapper.readValue(mapper.writeValueAsString(h), EsdHistogram.class));
    }
}
