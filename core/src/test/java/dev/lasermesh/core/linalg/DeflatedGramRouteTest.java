package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.bench.HeavyTailedSpectrum;
import dev.lasermesh.core.spectrum.EnergyPolicy;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.ParamsRatioPolicy;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spectrum rule of {@link SvdMethodChooser} on ill-conditioned matrices with known singular
 * values ({@link KnownSpectrum}: power laws, power-law heads with a tail, clusters, exact rank
 * deficiency; cond 1e3–1e6), on both backends:
 * <ul>
 * <li>every σ ≥ 1e-3·σ_max is claimed accurate (bound ≤ 1e-9), and every σ claimed accurate is
 *     within 1e-9 relative of the known value;</li>
 * <li>every bound holds (up to the rounding of building the matrix, 64·ε·σ_max absolutely);</li>
 * <li>the route is the one the rule predicts for the spectrum's shape;</li>
 * <li>every rank policy decides exactly as on the direct SVD's values of the same matrix.</li>
 * </ul>
 */
class DeflatedGramRouteTest {

    private static final double CLAIM = SvdMethodChooser.REQUIRED_RELATIVE_ACCURACY;
    private static final double CONSTRUCTION_SLACK = 64 * Math.ulp(1.0);
    private static final List<KernelLinearAlgebra> BACKENDS = List.of(new OpenBlasLinearAlgebra(1),
            new JavaLinearAlgebra(1));
    private static final List<RankPolicySpec> POLICIES = List.of(RankPolicySpec.named("laserrmt"),
            RankPolicySpec.named("mp-edge"), RankPolicySpec.named("gavish-donoho"),
            new RankPolicySpec(FractionPolicy.NAME, 0.25, null, null, null), new RankPolicySpec(EnergyPolicy.NAME, null, 0.9, null, null),
            new RankPolicySpec(ParamsRatioPolicy.NAME, null, null, null, 0.5));

    static Stream<Arguments> cases() {
        List<Object[]> spectra = List.of(
                new Object[] {KnownSpectrum.of("power law cond 1e3", 300, 700, KnownSpectrum.powerLaw(300, 1e3), 1),
                        SvdMethod.GRAM_EIGENVALUES},
                new Object[] {KnownSpectrum.of("power law cond 1e6", 300, 700, KnownSpectrum.powerLaw(300, 1e6), 2),
                        SvdMethod.DIRECT_SVD},
                new Object[] {KnownSpectrum.of("head+tail cond 1e4", 300, 700,
                        HeavyTailedSpectrum.powerLawWithTail(300, 20, 1e4), 3), SvdMethod.DEFLATED_GRAM},
                new Object[] {KnownSpectrum.of("head+tail cond 1e6", 300, 700,
                        HeavyTailedSpectrum.powerLawWithTail(300, 20, 1e6), 4), SvdMethod.DEFLATED_GRAM},
                new Object[] {KnownSpectrum.of("tall head+tail cond 1e5", 640, 256,
                        HeavyTailedSpectrum.powerLawWithTail(256, 30, 1e5), 5), SvdMethod.DEFLATED_GRAM},
                new Object[] {KnownSpectrum.of("square head+tail cond 1e6", 320, 320,
                        HeavyTailedSpectrum.powerLawWithTail(320, 12, 1e6), 6), SvdMethod.DEFLATED_GRAM},
                new Object[] {KnownSpectrum.of("clusters across the threshold cond 1e5", 300, 700, clustered(), 7),
                        SvdMethod.DEFLATED_GRAM},
                new Object[] {KnownSpectrum.of("rank 285 of 300", 300, 700, rankDeficient(), 8),
                        SvdMethod.DEFLATED_GRAM});
        List<Arguments> cases = new ArrayList<>();
        for (KernelLinearAlgebra backend : BACKENDS) {
            for (Object[] spectrum : spectra) {
                cases.add(Arguments.of(backend, spectrum[0], spectrum[1]));
            }
        }
        return cases.stream();
    }

    /** 20 at 1, 80 at 0.1, 100 at 1e-2, 40 around σ_max/1500 (where the rule splits), 60 at 1e-5. */
    private static double[] clustered() {
        double[] sigma = new double[300];
        Arrays.fill(sigma, 0, 20, 1.0);
        Arrays.fill(sigma, 20, 100, 0.1);
        Arrays.fill(sigma, 100, 200, 1e-2);
        for (int i = 200; i < 240; i++) {
            sigma[i] = (1.0 / 1500) * (1 + 1e-3 * (220 - i) / 20.0);
        }
        Arrays.fill(sigma, 240, 300, 1e-5);
        return sigma;
    }

    private static double[] rankDeficient() {
        double[] sigma = HeavyTailedSpectrum.powerLawWithTail(300, 30, 1e5);
        Arrays.fill(sigma, 285, 300, 0.0);
        return sigma;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyValueItClaimsIsAccurateAndTheBoundsHold(KernelLinearAlgebra backend, KnownSpectrum known,
                                                      SvdMethod route) {
        SingularValues result = backend.singularValuesWithMethod(known.matrix());

        assertEquals(route, result.method(), known.name());
        double[] sigma = known.sigma();
        double[] computed = result.values();
        double[] bounds = result.relativeErrorBounds();
        for (int i = 0; i < sigma.length; i++) {
            double error = Math.abs(computed[i] - sigma[i]);
            String where = known.name() + " σ_" + i + " = " + sigma[i] + ", computed " + computed[i] + ", bound "
                    + bounds[i];
            if (sigma[i] >= 1e-3 * sigma[0]) {
                assertTrue(bounds[i] <= CLAIM, "not claimed accurate: " + where);
            }
            if (bounds[i] <= CLAIM) {
                assertTrue(error <= CLAIM * sigma[i] + CONSTRUCTION_SLACK * sigma[0], "claimed but off: " + where);
            }
            assertTrue(error <= bounds[i] * computed[i] + CONSTRUCTION_SLACK * sigma[0], "bound fails: " + where);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyPolicyDecidesAsOnTheDirectSvd(KernelLinearAlgebra backend, KnownSpectrum known, SvdMethod route) {
        DenseMatrix a = known.matrix();
        SingularSpectrum chosen = new SingularSpectrum(backend.singularValues(a), a.rows(), a.cols());
        DenseKernels kernels = backend instanceof OpenBlasLinearAlgebra ? new OpenBlasKernels(1) : new JavaKernels(1);
        SingularSpectrum direct = new SingularSpectrum(kernels.svdValues(a), a.rows(), a.cols());

        for (RankPolicySpec spec : POLICIES) {
            RankPolicy policy = spec.toPolicy();
            assertEquals(policy.decide(direct).k(), policy.decide(chosen).k(), known.name() + " " + policy.name());
        }
    }
}
