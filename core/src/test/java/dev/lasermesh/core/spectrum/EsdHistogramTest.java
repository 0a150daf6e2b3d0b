package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EsdHistogramTest {

    private static SingularSpectrum fixture(String name) {
        JsonNode ref = Fixtures.json("spectra/reference.json").get("matrices").get(name);
        return new SingularSpectrum(Fixtures.doubles(ref.get("singular_values")),
                ref.get("shape").get(0).intValue(), ref.get("shape").get(1).intValue());
    }

    @Test
    void binsHalfOpenWithTheLastBinClosed() {
        EsdHistogram h = EsdHistogram.of(new SingularSpectrum(new double[] {2, 1, 0, 0, 0}, 5, 5), 2,
                EsdScale.SINGULAR_VALUES);
        assertArrayEquals(new double[] {0, 1, 2}, h.edges());
        assertArrayEquals(new long[] {3, 2}, h.counts());
        assertEquals(0, h.mpSigma(), 0);
        assertEquals(0, h.mpDensity().length, "no noise curve when the median is 0");
        assertEquals(0, h.mpExpectedCounts().length);
    }

    @Test
    void constantSpectrumGetsAUnitWideRange() {
        EsdHistogram h = EsdHistogram.of(new SingularSpectrum(new double[] {0, 0}, 2, 2), 1, EsdScale.SQUARED);
        assertArrayEquals(new double[] {-0.5, 0.5}, h.edges());
        assertArrayEquals(new long[] {2}, h.counts());
    }

    /** Pure Gaussian noise (fixture noise-512x512): the fitted MP bulk must describe the histogram. */
    @Test
    void noiseSpectrumFollowsTheFittedMarchenkoPasturBulk() {
        for (EsdScale scale : EsdScale.values()) {
            EsdHistogram h = EsdHistogram.of(fixture("noise-512x512"), 16, scale);
            assertEquals(512, Arrays.stream(h.counts()).sum());
            assertEquals(512, Arrays.stream(h.mpExpectedCounts()).sum(), 1e-9, "bins cover the whole bulk");
            double totalVariation = 0;
            for (int i = 0; i < 16; i++) {
                totalVariation += Math.abs(h.counts()[i] - h.mpExpectedCounts()[i]) / 2 / 512;
            }
            assertTrue(totalVariation < 0.05, scale + " total variation " + totalVariation);
        }
    }

    /** Density at the centre times the width approximates the integral over interior bins. */
    @Test
    void densityAndExpectedCountsAgree() {
        for (EsdScale scale : EsdScale.values()) {
            EsdHistogram h = EsdHistogram.of(fixture("planted-r24-640x256"), 200, scale);
            double[] e = h.edges();
            MarchenkoPasturBulk bulk = new MarchenkoPasturBulk(640, 256, h.mpSigma());
            double lo = bulk.lowerSingularEdge();
            double hi = bulk.upperSingularEdge();
            if (scale == EsdScale.SQUARED) {
                lo *= lo;
                hi *= hi;
            }
            int checked = 0;
            for (int i = 0; i < 200; i++) {
                double inset = 0.1 * (hi - lo);
                if (e[i] > lo + inset && e[i + 1] < hi - inset) {
                    double midpoint = 256 * h.mpDensity()[i] * (e[i + 1] - e[i]);
                    assertEquals(h.mpExpectedCounts()[i], midpoint, 1e-2 * h.mpExpectedCounts()[i], scale + " bin " + i);
                    checked++;
                }
            }
            assertTrue(checked > 10, "bins checked: " + checked);
        }
    }

    /** The 24 planted directions stand above the bulk edge, where the MP curve expects nothing. */
    @Test
    void plantedSignalLiesBeyondTheBulk() {
        EsdHistogram h = EsdHistogram.of(fixture("planted-r24-640x256"), 50, EsdScale.SINGULAR_VALUES);
        double edge = new MarchenkoPasturBulk(640, 256, h.mpSigma()).upperSingularEdge();
        long beyond = 0;
        for (int i = 0; i < 50; i++) {
            if (h.edges()[i] >= edge) {
                beyond += h.counts()[i];
                assertEquals(0, h.mpExpectedCounts()[i], 0);
            }
        }
        assertTrue(beyond > 0 && beyond <= 24, "values beyond the edge: " + beyond);
    }

    @Test
    void rejectsZeroBins() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EsdHistogram.of(fixture("noise-512x512"), 0, EsdScale.SQUARED));
        assertTrue(e.getMessage().contains("at least 1 bin"), e.getMessage());
    }
}
