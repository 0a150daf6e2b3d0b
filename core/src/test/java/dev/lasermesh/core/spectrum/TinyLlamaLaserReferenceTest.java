package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * laserRMT decisions for two real matrices of the tiny-llama fixture ({@code reference.json},
 * {@code laser.matrices}, PyTorch/NumPy), from the reference's singular values: relative 1e-9.
 */
class TinyLlamaLaserReferenceTest {

    private static final double TOLERANCE = 1e-9;

    @Test
    void laserRmtDecisionsMatchTheIndependentImplementation() {
        JsonNode matrices = Fixtures.json("tiny-llama/reference.json").get("laser").get("matrices");
        assertEquals(2, matrices.size());
        for (Map.Entry<String, JsonNode> e : matrices.properties()) {
            JsonNode ref = e.getValue();
            double[] s = Fixtures.doubles(ref.get("singular_values"));
            SingularSpectrum spectrum = new SingularSpectrum(s, ref.get("shape").get(0).intValue(),
                    ref.get("shape").get(1).intValue());
            SpectrumSummary summary = SpectrumSummary.of(spectrum, new LaserRmtPolicy());
            RankDecision d = summary.decision();
            String name = e.getKey();
            close(ref.get("q25"), d.inputs().get("q25"), name);
            close(ref.get("q75"), d.inputs().get("q75"), name);
            close(ref.get("sigma"), d.inputs().get("sigma"), name);
            close(ref.get("beta"), d.inputs().get("beta"), name);
            close(ref.get("threshold"), d.threshold(), name);
            assertEquals(ref.get("k").intValue(), d.k(), name);
            close(ref.get("snr_sum_signal_over_sum_noise"), summary.snr(), name);
            close(ref.get("frobenius_norm_diff_check_sqrt_sum_discarded_sq"), summary.frobeniusErrorAtK(), name);
            close(ref.get("frobenius_norm_original"), summary.frobeniusNorm(), name);
        }
    }

    private static void close(JsonNode expected, double actual, String name) {
        assertEquals(expected.doubleValue(), actual, TOLERANCE * Math.abs(expected.doubleValue()), name);
    }
}
