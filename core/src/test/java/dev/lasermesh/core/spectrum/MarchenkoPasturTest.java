package dev.lasermesh.core.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import org.junit.jupiter.api.Test;

class MarchenkoPasturTest {

    private static final double[] RATIOS = {1e-4, 0.01, 0.25, 3.0 / 7, 0.4, 0.9, 1};

    /** μ_β of {@code spectra/reference.json} (SciPy quad + brentq, xtol 1e-14). */
    @Test
    void medianMatchesTheScipyReference() {
        for (JsonNode ref : Fixtures.json("spectra/reference.json").get("matrices")) {
            double beta = ref.get("beta").doubleValue();
            double expected = ref.get("mp_edge").get("mp_median").doubleValue();
            assertEquals(expected, MarchenkoPastur.withRatio(beta).median(), 1e-12 * expected, "beta " + beta);
        }
    }

    /**
     * μ_β to 50 digits by mpmath 1.3.0 (findroot on the classic arcsine antiderivative of the density,
     * F(x) = [r + (1+β)(asin u + π/2) − (1−β)(asin v + π/2)]/(2πβ), checked against mp.quad), for
     * ratios down to the 1e-4 of a very wide matrix.
     */
    @Test
    void medianIsAccurateToTheLastBitsForAllRatios() {
        double[][] betaAndMedian = {
                {1e-4, 0.9999666665678985693833517}, {1e-3, 0.999666656787457501674767},
                {0.01, 0.9966656763386578040627219}, {0.027, 0.9909927470836319772688912},
                {0.1, 0.9665651474028223734996734}, {0.25, 0.9160040706866120498332601},
                {0.5, 0.8304658815813635500771075}, {0.9, 0.6892220983540934882532223},
                {0.999, 0.6531432045145761465405505}, {1, 0.6527759416335703693145081}};
        for (double[] c : betaAndMedian) {
            assertEquals(c[1], MarchenkoPastur.withRatio(c[0]).median(), 1e-15 * c[1], "beta " + c[0]);
        }
    }

    /**
     * The closed-form distribution function against an independent quadrature of the density:
     * with x = (a+b)/2 − (b−a)/2·cos θ the integrand (b−a)²/4·sin²θ / (2πβx) is smooth, and
     * composite Simpson on 20000 intervals is accurate far below the 1e-11 tolerance.
     */
    @Test
    void cdfEqualsTheIntegralOfTheDensity() {
        for (double beta : RATIOS) {
            MarchenkoPastur law = MarchenkoPastur.withRatio(beta);
            double a = law.lowerEdge();
            double b = law.upperEdge();
            assertEquals(Math.pow(1 - Math.sqrt(beta), 2), a, 1e-15);
            assertEquals(Math.pow(1 + Math.sqrt(beta), 2), b, 1e-15);
            for (double fraction : new double[] {0.01, 0.2, 0.5, 0.77, 0.999}) {
                double x = a + fraction * (b - a);
                assertEquals(simpson(law, x), law.cdf(x), 1e-11, "beta " + beta + " x " + x);
            }
            assertEquals(0, law.cdf(a), 0);
            assertEquals(1, law.cdf(b), 0);
            assertEquals(0.5, law.cdf(law.median()), 1e-14, "beta " + beta);
        }
    }

    @Test
    void densityVanishesOutsideTheSupportAndMatchesTheFormulaInside() {
        MarchenkoPastur law = MarchenkoPastur.withRatio(0.25);
        assertEquals(0, law.density(0.2), 0);
        assertEquals(0, law.density(2.3), 0);
        assertEquals(Math.sqrt((2.25 - 1) * (1 - 0.25)) / (2 * Math.PI * 0.25), law.density(1), 1e-15);
    }

    /** Gavish &amp; Donoho 2014: λ*(1) = 4/√3, and their cubic fit ω(β) ≈ 0.56β³ − 0.95β² + 1.82β + 1.43. */
    @Test
    void gavishDonohoCoefficients() {
        assertEquals(4 / Math.sqrt(3), GavishDonohoPolicy.lambdaStar(1), 1e-15);
        for (double beta : RATIOS) {
            double omega = GavishDonohoPolicy.lambdaStar(beta) / Math.sqrt(MarchenkoPastur.withRatio(beta).median());
            double fit = 0.56 * beta * beta * beta - 0.95 * beta * beta + 1.82 * beta + 1.43;
            assertEquals(fit, omega, 0.02, "beta " + beta);
        }
    }

    @Test
    void rejectsRatiosOutsideZeroToOne() {
        for (double beta : new double[] {0, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MarchenkoPastur.withRatio(beta));
            assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        }
    }

    @Test
    void bulkOfANoiseMatrixScalesTheLaw() {
        MarchenkoPasturBulk bulk = new MarchenkoPasturBulk(100, 400, 0.5);
        assertEquals(0.5 * (20 - 10), bulk.lowerSingularEdge(), 1e-12);
        assertEquals(0.5 * (20 + 10), bulk.upperSingularEdge(), 1e-12);
        double s = 12;
        double lambda = s * s / (0.25 * 400);
        assertEquals(bulk.law().cdf(lambda), bulk.singularValueCdf(s), 0);
        assertEquals(bulk.law().cdf(lambda), bulk.squaredCdf(s * s), 0);
        assertEquals(bulk.law().density(lambda) * 2 * s / 100, bulk.singularValueDensity(s), 1e-15);
        assertEquals(bulk.law().density(lambda) / 100, bulk.squaredDensity(s * s), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new MarchenkoPasturBulk(10, 10, 0));
    }

    private static double simpson(MarchenkoPastur law, double x) {
        double a = law.lowerEdge();
        double b = law.upperEdge();
        double mid = (a + b) / 2;
        double half = (b - a) / 2;
        double theta = Math.acos((mid - x) / half);
        int intervals = 20000;
        double h = theta / intervals;
        double sum = 0;
        for (int i = 0; i <= intervals; i++) {
            double weight = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += weight * integrand(law, mid, half, i * h);
        }
        return sum * h / 3;
    }

    private static double integrand(MarchenkoPastur law, double mid, double half, double theta) {
        double sin = Math.sin(theta);
        double x = mid - half * Math.cos(theta);
        if (x == 0) {
            // β = 1 at θ = 0: x ≈ half·θ²/2 and sin²θ ≈ θ², so half²·sin²θ/x tends to 2·half.
            return 2 * half / (2 * Math.PI * law.beta());
        }
        return half * half * sin * sin / (2 * Math.PI * law.beta() * x);
    }
}
