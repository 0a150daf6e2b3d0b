package dev.lasermesh.core.lora;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lora analyze} of the tiny-llama-lora fixture against {@code reference.json} (NumPy float64,
 * outside the project): k exact; threshold, σ, SNR, SNR/σmax, ‖·‖_F of W and W' within 1e-9 relative;
 * all eight singular values of ΔW within 1e-9 relative.
 *
 * <p>The subspace numbers depend on W's top-k singular vectors, which two correct SVDs determine only
 * up to perturbations of order ε·σ₁/(σ_k − σ_{k+1}) (Davis–Kahan / Wedin; Stewart &amp; Sun, "Matrix
 * Perturbation Theory", V.3): the energies and cosines move by that much. With ε ≈ 1e-16 and the gaps
 * of these 42 matrices (the smallest (σ_k − σ_{k+1})/σ₁ is computed and printed: 6.0e-4, so the
 * bound is about 2e-13), that is far below 1e-9; the tolerance is 1e-9 absolute for the energies (shares in [0, 1]) and 1e-6 degrees for
 * the principal angles (arccos amplifies a cosine error by 1/sin θ ≤ 1/sin 20°; all angles here lie
 * well inside (0°, 90°)). The largest observed differences are printed.
 */
class LoraAnalysisFixtureTest {

    private static final double TOLERANCE = 1e-9;
    private static final double ENERGY_TOLERANCE = 1e-9;
    private static final double ANGLE_TOLERANCE_DEG = 1e-6;
    private static final JsonNode REF = Fixtures.json("tiny-llama-lora/reference.json");

    private static List<AdaptedMatrixAnalysis> analyses;

    @BeforeAll
    static void analyze() {
        analyses = new ArrayList<>();
        LoraAnalyzer analyzer = new LoraAnalyzer(LinearAlgebras.create(), new LaserRmtPolicy());
        try (ModelSource base = ModelSource.open(Fixtures.path("tiny-llama"));
             LoraAdapter adapter = LoraAdapter.open(Fixtures.path("tiny-llama-lora"))) {
            BaseWeights weights = new BaseWeights(base, BaseQuantization.NONE);
            for (AdaptedMatrix a : adapter.resolve(base)) {
                analyses.add(analyzer.analyze(weights, adapter, a));
            }
        }
    }

    @Test
    void spectraOfWAndOfTheMergedMatrixMatchTheReference() {
        assertEquals(REF.get("matrices").size(), analyses.size());
        for (AdaptedMatrixAnalysis a : analyses) {
            JsonNode ref = REF.get("matrices").get(a.name());
            assertSide(a.name() + " base", ref.get("base"), a.base());
            assertSide(a.name() + " merged", ref.get("merged"), a.merged());
        }
    }

    private static void assertSide(String what, JsonNode ref, SpectrumSide side) {
        assertEquals(ref.get("k").asInt(), side.k(), what + " k");
        assertRelative(ref.get("threshold").asDouble(), side.threshold(), TOLERANCE, what + " threshold");
        assertRelative(ref.get("sigma").asDouble(), side.sigma(), TOLERANCE, what + " sigma");
        assertRelative(ref.get("snr").asDouble(), side.snr(), TOLERANCE, what + " snr");
        assertRelative(ref.get("snr_over_sigma_max").asDouble(), side.snrOverSigmaMax(), TOLERANCE, what + " snr/smax");
        assertRelative(ref.get("sigma_max").asDouble(), side.sigmaMax(), TOLERANCE, what + " sigma_max");
        assertRelative(ref.get("frobenius_norm").asDouble(), side.frobeniusNorm(), TOLERANCE, what + " frobenius");
    }

    @Test
    void deltaSingularValuesFromTheFactorsMatchTheReference() {
        double worst = 0;
        for (AdaptedMatrixAnalysis a : analyses) {
            JsonNode ref = REF.get("matrices").get(a.name());
            double[] expected = Fixtures.doubles(ref.get("delta_singular_values"));
            double[] actual = a.deltaSingularValues();
            assertEquals(expected.length, actual.length, a.name());
            for (int i = 0; i < expected.length; i++) {
                assertRelative(expected[i], actual[i], TOLERANCE, a.name() + " delta sv " + i);
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / expected[i]);
            }
            assertRelative(ref.get("delta_frobenius_norm").asDouble(), a.deltaFrobeniusNorm(), TOLERANCE, a.name());
            assertRelative(ref.get("delta_fro_over_W_fro").asDouble(), a.deltaFroOverWFro(), TOLERANCE, a.name());
        }
        System.out.printf("delta singular values: largest relative difference %.2e%n", worst);
    }

    @Test
    void overlapWithTheKeptSubspaceMatchesTheReference() {
        double energy = 0;
        double angle = 0;
        for (AdaptedMatrixAnalysis a : analyses) {
            JsonNode ref = REF.get("matrices").get(a.name());
            SubspaceOverlap o = a.overlap();
            energy = Math.max(energy, check(ref, "delta_energy_in_W_top_k_left", o.energyLeft(), a.name()));
            energy = Math.max(energy, check(ref, "delta_energy_in_W_top_k_right", o.energyRight(), a.name()));
            energy = Math.max(energy, check(ref, "delta_energy_in_W_top_k_both", o.energyBoth(), a.name()));
            double[] expected = Fixtures.doubles(ref.get("principal_angles_deg_delta_colspace_vs_W_top_k_left"));
            double[] actual = o.principalAnglesDeg();
            assertEquals(expected.length, actual.length, a.name());
            for (int i = 0; i < expected.length; i++) {
                double diff = Math.abs(actual[i] - expected[i]);
                assertTrue(diff <= ANGLE_TOLERANCE_DEG, a.name() + " angle " + i + ": " + actual[i] + " vs " + expected[i]);
                angle = Math.max(angle, diff);
            }
        }
        System.out.printf("overlap: largest energy difference %.2e, largest angle difference %.2e deg, smallest relative "
                + "gap at k %.2e%n", energy, angle, smallestRelativeGapAtK());
    }

    /** min over the matrices of (σ_k − σ_{k+1})/σ₁ of W, which bounds how well its top-k subspace is determined. */
    private static double smallestRelativeGapAtK() {
        double smallest = Double.POSITIVE_INFINITY;
        try (ModelSource base = ModelSource.open(Fixtures.path("tiny-llama"))) {
            for (AdaptedMatrixAnalysis a : analyses) {
                double[] s = LinearAlgebras.create().singularValues(base.readMatrix(base.catalogue().byName(a.name())));
                int k = a.base().k();
                smallest = Math.min(smallest, (s[k - 1] - s[k]) / s[0]);
            }
        }
        return smallest;
    }

    private static double check(JsonNode ref, String field, double actual, String name) {
        double expected = ref.get(field).asDouble();
        double diff = Math.abs(actual - expected);
        assertTrue(diff <= ENERGY_TOLERANCE, name + " " + field + ": " + actual + " vs " + expected);
        return diff;
    }

    @Test
    void theSummaryCountsHowKMoved() {
        LoraAnalysisReport.Summary summary = LoraAnalysisReport.Summary.of(analyses);
        assertEquals(29, summary.kDown());
        assertEquals(6, summary.kUp());
        assertEquals(7, summary.kSame());
    }
}
