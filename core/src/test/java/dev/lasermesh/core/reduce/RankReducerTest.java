package dev.lasermesh.core.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.Svd;
import dev.lasermesh.core.tensor.DType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RankReducerTest {

    private static final TestMatrices.Known KNOWN =
            TestMatrices.withSingularValues(120, 80, TestMatrices.geometric(80, 10, 0.95), 42);

    private static double droppedEnergy(double[] s, int k) {
        double sum = 0;
        for (int i = k; i < s.length; i++) {
            sum += s[i] * s[i];
        }
        return sum;
    }

    /** Eckart–Young: ‖W − W_k‖_F = √(Σ_{i≥k} S_i²), measured on the elements, to 1e-10 relative. */
    @Test
    void denseErrorIsTheEckartYoungError() {
        double[] s = KNOWN.singularValues();
        for (int k : new int[] {1, 10, 40, 79}) {
            ReductionResult r = RankReducer.dense(KNOWN.w(), KNOWN.svd(), s, k, DType.F64).result();
            double expected = Math.sqrt(droppedEnergy(s, k));
            assertEquals(expected, r.error(), 1e-10 * expected, "k=" + k);
            assertEquals(expected, r.eckartYoungError(), 1e-14 * expected, "k=" + k);
            assertEquals(r.error(), r.roundedError(), 0, "F64 rounds nothing");
            double total = droppedEnergy(s, 0);
            assertEquals(Math.sqrt(total), r.frobeniusNorm(), 1e-12 * Math.sqrt(total));
            assertEquals(1 - droppedEnergy(s, k) / total, r.energyKept(), 1e-14);
            assertEquals(r.error() / r.frobeniusNorm(), r.relativeError(), 0);
        }
    }

    @Test
    void fullRankReproducesTheMatrixAndZeroRankDropsIt() {
        double[] s = KNOWN.singularValues();
        DenseReduction full = RankReducer.dense(KNOWN.w(), KNOWN.svd(), s, 80, DType.F64);
        assertTrue(full.result().error() < 1e-12 * full.result().frobeniusNorm(), "error " + full.result().error());
        assertEquals(0, full.result().eckartYoungError(), 0);
        DenseReduction none = RankReducer.dense(KNOWN.w(), KNOWN.svd(), s, 0, DType.F32);
        assertEquals(DenseMatrix.zeros(120, 80), none.reconstruction());
        assertEquals(none.result().frobeniusNorm(), none.result().error(), 0);
        assertEquals(0, none.result().energyKept(), 0);
    }

    /** The rounded error recomputed here from an EJML truncation rounded with a float cast. */
    @Test
    void roundedErrorMeasuresTheMatrixAsWritten() {
        double[] s = KNOWN.singularValues();
        int k = 12;
        DenseReduction reduction = RankReducer.dense(KNOWN.w(), KNOWN.svd(), s, k, DType.F32);
        DenseMatrix wk = TestMatrices.product(leadingColumnsScaled(KNOWN.svd(), k), leadingRows(KNOWN.svd().vt(), k));
        double[] rounded = new double[wk.data().length];
        for (int i = 0; i < rounded.length; i++) {
            rounded[i] = (float) wk.data()[i];
        }
        double expected = distance(KNOWN.w(), new DenseMatrix(wk.rows(), wk.cols(), rounded));
        assertEquals(expected, reduction.result().roundedError(), 1e-12 * expected);
        assertTrue(reduction.result().roundedError() != reduction.result().error(), "rounding changes the error");
        ReductionResult bf16 = RankReducer.dense(KNOWN.w(), KNOWN.svd(), s, k, DType.BF16).result();
        assertTrue(Math.abs(bf16.roundedError() - bf16.error()) > Math.abs(reduction.result().roundedError()
                - reduction.result().error()), "bf16 rounding costs more than f32");
    }

    @Test
    void factoredReductionAccountsTheSameWay() {
        double[] s = KNOWN.singularValues();
        FactoredReduction f = RankReducer.factored(KNOWN.w(), KNOWN.svd(), s, 20, DType.BF16);
        ReductionResult r = f.result();
        double expected = Math.sqrt(droppedEnergy(s, 20));
        assertEquals(expected, r.error(), 1e-10 * expected);
        assertEquals(StorageForm.FACTORED, r.form());
        assertEquals(20 * 200L, r.storage().factoredParameters());
        assertEquals(2 * 20 * 200L, r.storage().factoredBytes());
        assertTrue(r.storage().factoredSavesMemory());
        DenseMatrix written = TestMatrices.product(DTypeRounding.round(f.factors().a(), DType.BF16),
                DTypeRounding.round(f.factors().b(), DType.BF16));
        double writtenError = distance(KNOWN.w(), written);
        assertEquals(writtenError, r.roundedError(), 1e-12 * writtenError);
    }

    @Test
    void resultSerialisesToJsonAndBack() throws Exception {
        ReductionResult r = RankReducer.dense(KNOWN.w(), KNOWN.svd(), KNOWN.singularValues(), 10, DType.BF16).result();
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(r);
        assertTrue(json.startsWith("{\"rows\":120,\"cols\":80,\"rank\":10,\"maxRank\":80,\"dtype\":\"BF16\","
                + "\"form\":\"DENSE\",\"frobeniusNorm\":"), json);
        assertTrue(json.contains("\"storage\":{\"rows\":120,\"cols\":80,\"rank\":10,\"dtype\":\"BF16\","
                + "\"denseParameters\":9600,\"factoredParameters\":2000,\"denseBytes\":19200,\"factoredBytes\":4000,"
                + "\"breakEvenRank\":48,\"factoredSavesMemory\":true}"), json);
        assertEquals(r, mapper.readValue(json, ReductionResult.class));
    }

    @Test
    void inconsistentInputsAreRejected() {
        double[] s = KNOWN.singularValues();
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> RankReducer.dense(DenseMatrix.zeros(80, 120), KNOWN.svd(), s, 3, DType.F32));
        assertTrue(shape.getMessage().contains("do not match the matrix DenseMatrix[80x120]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RankReducer.dense(KNOWN.w(), KNOWN.svd(), Arrays.copyOf(s, 79), 3, DType.F32));
        assertThrows(IllegalArgumentException.class,
                () -> RankReducer.factored(KNOWN.w(), KNOWN.svd(), s, 81, DType.F32));
    }

    private static double distance(DenseMatrix a, DenseMatrix b) {
        double sum = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = a.data()[i] - b.data()[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static DenseMatrix leadingColumnsScaled(Svd svd, int k) {
        DenseMatrix a = DenseMatrix.zeros(svd.u().rows(), k);
        for (int i = 0; i < a.rows(); i++) {
            for (int l = 0; l < k; l++) {
                a.set(i, l, svd.u().get(i, l) * svd.s()[l]);
            }
        }
        return a;
    }

    private static DenseMatrix leadingRows(DenseMatrix m, int k) {
        return new DenseMatrix(k, m.cols(), Arrays.copyOf(m.data(), k * m.cols()));
    }
}
