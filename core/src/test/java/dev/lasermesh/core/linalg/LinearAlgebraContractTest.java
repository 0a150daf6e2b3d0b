package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link LinearAlgebra} backend must do, checked against the float64 singular values
 * that NumPy computed independently for the fixtures (spectra/reference.json,
 * tiny-llama/reference.json) and against exact constructions.
 *
 * <p>Tolerances: every singular value within {@value #ABSOLUTE}·σ_max; those ≥ 1e-3·σ_max also
 * within {@value #RELATIVE} relative; the condition number within {@value #CONDITION} relative;
 * singular vectors orthonormal to {@value #ORTHONORMAL}; the truncation error
 * ‖A − U_k·S_k·V_kᵀ‖_F equal to the Eckart–Young optimum √(Σ_{i&gt;k} σ_i²) within
 * {@value #ECKART_YOUNG} relative (plus {@value #ABSOLUTE}·‖A‖_F where the optimum is zero).
 */
abstract class LinearAlgebraContractTest {

    static final double ABSOLUTE = 1e-12;
    static final double RELATIVE = 1e-10;
    static final double CONDITION = 1e-6;
    static final double ORTHONORMAL = 1e-10;
    static final double ECKART_YOUNG = 1e-9;

    private static final String TINY_LLAMA = "tiny-llama/model.safetensors";

    /** The backend under test. */
    protected abstract LinearAlgebra backend();

    static Stream<String> spectraMatrices() {
        List<String> names = new ArrayList<>();
        Fixtures.json("spectra/reference.json").get("matrices").fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    static Stream<String> tinyLlamaMatrices() {
        List<String> names = new ArrayList<>();
        tinyLlamaReference().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    /** (spectra matrix, k) for every k whose truncation error the reference states. */
    static Stream<Arguments> spectraTruncations() {
        JsonNode matrices = Fixtures.json("spectra/reference.json").get("matrices");
        List<Arguments> cases = new ArrayList<>();
        matrices.fieldNames().forEachRemaining(name -> matrices.get(name).get("frobenius_error_at_k").fieldNames()
                .forEachRemaining(k -> cases.add(Arguments.of(name, Integer.parseInt(k)))));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("spectraMatrices")
    void singularValuesOfSpectraMatchNumPy(String name) {
        JsonNode reference = Fixtures.json("spectra/reference.json").get("matrices").get(name);
        double[] sigma = backend().singularValues(spectraMatrix(name));

        double[] expected = Fixtures.doubles(reference.get("singular_values"));
        assertSpectrumMatches(expected, sigma, name);
        assertEquals(reference.get("condition_number").asDouble(), sigma[0] / sigma[sigma.length - 1],
                CONDITION * reference.get("condition_number").asDouble(), name + " condition number");
    }

    @ParameterizedTest
    @MethodSource("tinyLlamaMatrices")
    void singularValuesOfTinyLlamaWeightsMatchPyTorchReference(String tensor) {
        double[] expected = Fixtures.doubles(tinyLlamaReference().get(tensor).get("singular_values"));
        double[] sigma = backend().singularValues(Fixtures.matrix(TINY_LLAMA, tensor));

        assertSpectrumMatches(expected, sigma, tensor);
        assertEquals(expected[0] / expected[expected.length - 1], sigma[0] / sigma[sigma.length - 1],
                CONDITION * expected[0] / expected[expected.length - 1], tensor + " condition number");
    }

    @ParameterizedTest
    @MethodSource("spectraTruncations")
    void topKOfSpectraReachesReferenceTruncationError(String name, int k) {
        JsonNode reference = Fixtures.json("spectra/reference.json").get("matrices").get(name);
        DenseMatrix a = spectraMatrix(name);

        Svd svd = backend().topK(a, k);

        double[] expected = Fixtures.doubles(reference.get("singular_values"));
        assertTriplets(a, svd, k, expected, name);
        assertTruncationError(reference.get("frobenius_error_at_k").get(Integer.toString(k)).asDouble(), a, svd,
                name + " k=" + k);
    }

    @ParameterizedTest
    @MethodSource("tinyLlamaMatrices")
    void topKAtTheLaserRankReachesReferenceTruncationError(String tensor) {
        JsonNode reference = tinyLlamaReference().get(tensor);
        DenseMatrix a = Fixtures.matrix(TINY_LLAMA, tensor);
        int k = reference.get("k").asInt();

        Svd svd = backend().topK(a, k);

        assertTriplets(a, svd, k, Fixtures.doubles(reference.get("singular_values")), tensor);
        assertTruncationError(reference.get("frobenius_norm_diff_float64_reconstruction").asDouble(), a, svd,
                tensor + " k=" + k);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 64, 65, 128, 255, 256})
    void topKOfDownProjectionAtManyRanksIsEckartYoungOptimal(int k) {
        String tensor = "model.layers.5.mlp.down_proj.weight";
        double[] expected = Fixtures.doubles(tinyLlamaReference().get(tensor).get("singular_values"));
        DenseMatrix a = Fixtures.matrix(TINY_LLAMA, tensor);

        Svd svd = backend().topK(a, k);

        assertTriplets(a, svd, k, expected, tensor);
        assertTruncationError(tailNorm(expected, k), a, svd, tensor + " k=" + k);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 200, 333})
    void rowAndColumnVectorsHaveTheirNormAsOnlySingularValue(int length) {
        double[] x = new double[length];
        double sumOfSquares = 0;
        for (int i = 0; i < length; i++) {
            x[i] = Math.sin(0.7 * i + 0.3) * (1 + i % 5);
            sumOfSquares += x[i] * x[i];
        }
        double norm = Math.sqrt(sumOfSquares);
        for (DenseMatrix a : List.of(new DenseMatrix(1, length, x), new DenseMatrix(length, 1, x.clone()))) {
            double[] sigma = backend().singularValues(a);
            assertEquals(1, sigma.length, a.toString());
            assertEquals(norm, sigma[0], 1e-14 * norm, a + " singular value");

            Svd svd = backend().topK(a, 1);
            assertTriplets(a, svd, 1, new double[] {norm}, a.toString());
            assertTruncationError(0.0, a, svd, a.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x7", "300x200", "200x600"})
    void zeroMatrixHasZeroSingularValuesAndOrthonormalFactors(String shape) {
        DenseMatrix zero = DenseMatrix.zeros(Integer.parseInt(shape.split("x")[0]), Integer.parseInt(shape.split("x")[1]));

        double[] sigma = backend().singularValues(zero);

        assertEquals(zero.minDim(), sigma.length);
        for (double s : sigma) {
            assertEquals(0.0, s, shape);
        }
        for (int k : new int[] {1, 3, zero.minDim()}) {
            Svd svd = backend().topK(zero, k);
            assertOrthonormalRows(svd.u().transpose(), shape + " U, k=" + k);
            assertOrthonormalRows(svd.vt(), shape + " Vt, k=" + k);
            for (double s : svd.s()) {
                assertEquals(0.0, s, shape);
            }
        }
    }

    /**
     * A = 5·u₁v₁ᵀ + 3·u₂v₂ᵀ + 1·u₃v₃ᵀ with u, v scaled Hadamard rows (exactly orthonormal in binary
     * arithmetic), so its singular values are exactly 5, 3, 1 and then zeros: on both sides of the
     * Gram route's size limit, wide and tall.
     */
    @ParameterizedTest
    @ValueSource(strings = {"16x64", "64x16", "256x1024", "1024x256"})
    void exactlyRankDeficientMatrixHasExactSpectrumAndTruncations(String shape) {
        int rows = Integer.parseInt(shape.split("x")[0]);
        int cols = Integer.parseInt(shape.split("x")[1]);
        double[] planted = {5, 3, 1};
        DenseMatrix a = plantedHadamard(rows, cols, planted);
        double[] exact = new double[Math.min(rows, cols)];
        System.arraycopy(planted, 0, exact, 0, planted.length);

        assertSpectrumMatches(exact, backend().singularValues(a), shape);
        for (int k : new int[] {1, 2, 3, 4, 5, Math.min(rows, cols)}) {
            Svd svd = backend().topK(a, k);
            assertTriplets(a, svd, k, exact, shape);
            assertTruncationError(tailNorm(exact, k), a, svd, shape + " k=" + k);
        }
    }

    @Test
    void kZeroGivesEmptyFactors() {
        Svd svd = backend().topK(plantedHadamard(16, 64, new double[] {2}), 0);

        assertEquals(0, svd.rank());
        assertEquals(16, svd.u().rows());
        assertEquals(64, svd.vt().cols());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 17, 100})
    void invalidKIsRejectedWithItsRange(int k) {
        DenseMatrix a = plantedHadamard(16, 64, new double[] {2});

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend().topK(a, k));

        assertTrue(e.getMessage().contains("k = " + k) && e.getMessage().contains("0..16"), e.getMessage());
    }

    @Test
    void nonFiniteEntriesAreRejectedWithTheirPosition() {
        DenseMatrix a = plantedHadamard(16, 64, new double[] {2});
        a.set(3, 5, Double.NaN);

        IllegalArgumentException values = assertThrows(IllegalArgumentException.class,
                () -> backend().singularValues(a));
        IllegalArgumentException truncation = assertThrows(IllegalArgumentException.class,
                () -> backend().topK(a, 2));

        assertTrue(values.getMessage().contains("NaN at (3, 5)"), values.getMessage());
        assertTrue(truncation.getMessage().contains("NaN at (3, 5)"), truncation.getMessage());
    }

    static DenseMatrix spectraMatrix(String name) {
        return Fixtures.matrix("spectra/" + name + ".safetensors", "weight");
    }

    static JsonNode tinyLlamaReference() {
        return Fixtures.json("tiny-llama/reference.json").get("laser").get("matrices");
    }

    /** Σ s_i · h_i·g_iᵀ / √(rows·cols) with h_i, g_i rows 1, 2, … of Sylvester Hadamard matrices. */
    static DenseMatrix plantedHadamard(int rows, int cols, double[] s) {
        DenseMatrix a = DenseMatrix.zeros(rows, cols);
        double scale = 1.0 / Math.sqrt((double) rows * cols);
        for (int r = 0; r < s.length; r++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    a.set(i, j, a.get(i, j) + s[r] * scale * hadamard(r + 1, i) * hadamard(r + 1, j));
                }
            }
        }
        return a;
    }

    /** Entry (row, col) of a Sylvester Hadamard matrix: (−1)^popcount(row & col). */
    private static int hadamard(int row, int col) {
        return Integer.bitCount(row & col) % 2 == 0 ? 1 : -1;
    }

    private static double tailNorm(double[] sigma, int k) {
        double sum = 0;
        for (int i = k; i < sigma.length; i++) {
            sum += sigma[i] * sigma[i];
        }
        return Math.sqrt(sum);
    }

    private static void assertSpectrumMatches(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " number of singular values");
        assertLeadingValuesMatch(expected, actual, expected.length, what + " σ_");
    }

    /** The first {@code count} values: within ABSOLUTE·σ_max, and RELATIVE where σ ≥ 1e-3·σ_max. */
    private static void assertLeadingValuesMatch(double[] expected, double[] actual, int count, String label) {
        double sigmaMax = expected[0];
        for (int i = 0; i < count; i++) {
            assertEquals(expected[i], actual[i], ABSOLUTE * sigmaMax, label + i);
            if (expected[i] >= 1e-3 * sigmaMax) {
                assertEquals(expected[i], actual[i], RELATIVE * expected[i], label + i + " (relative)");
            }
        }
    }

    /** Shapes, orthonormal U and V, and the k values equal to the leading reference values. */
    private static void assertTriplets(DenseMatrix a, Svd svd, int k, double[] expected, String what) {
        assertEquals(k, svd.rank(), what + " rank");
        assertEquals(a.rows(), svd.u().rows(), what + " rows of U");
        assertEquals(a.cols(), svd.vt().cols(), what + " columns of Vt");
        assertOrthonormalRows(svd.u().transpose(), what + " U");
        assertOrthonormalRows(svd.vt(), what + " Vt");
        assertLeadingValuesMatch(expected, svd.s(), k, what + " top-k σ_");
    }

    private static void assertOrthonormalRows(DenseMatrix m, String what) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = i; j < m.rows(); j++) {
                double dot = 0;
                for (int c = 0; c < m.cols(); c++) {
                    dot += m.get(i, c) * m.get(j, c);
                }
                assertEquals(i == j ? 1.0 : 0.0, dot, ORTHONORMAL, what + " rows " + i + ", " + j);
            }
        }
    }

    private static void assertTruncationError(double expected, DenseMatrix a, Svd svd, String what) {
        double sumOfSquares = 0;
        double normOfA = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double approx = 0;
                for (int r = 0; r < svd.rank(); r++) {
                    approx += svd.u().get(i, r) * svd.s()[r] * svd.vt().get(r, j);
                }
                double diff = a.get(i, j) - approx;
                sumOfSquares += diff * diff;
                normOfA += a.get(i, j) * a.get(i, j);
            }
        }
        assertEquals(expected, Math.sqrt(sumOfSquares), ECKART_YOUNG * expected + ABSOLUTE * Math.sqrt(normOfA),
                what + " truncation error");
    }
}
