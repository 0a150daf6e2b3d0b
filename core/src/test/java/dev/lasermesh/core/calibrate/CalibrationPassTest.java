package dev.lasermesh.core.calibrate;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.eval.EvalInputException;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.TokenizedText;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.linalg.DenseMatrix;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration statistics of tiny-llama against corpus/reference.json (X from the float32 forward,
 * float64 accumulation: the README's "Tolerances to expect" measures ≤ 1.3e-7 relative for trace and
 * top eigenvalue, so 1e-6 is the test tolerance), shards cut on blocks merging exactly, and the same statistics
 * whatever the number of threads.
 */
class CalibrationPassTest {

    private static final String[][] NAMED = {
            {"model.layers.0.self_attn.q_proj.weight", "0", "ATTENTION_INPUT"},
            {"model.layers.3.mlp.down_proj.weight", "3", "MLP_HIDDEN"}};

    @Test
    void traceAndTopEigenvaluesOfXtXMatchTheReference(@TempDir Path dir) {
        for (String calibration : List.of("moby-dick", "sotu")) {
            CalibrationStore store = CorpusFixture.calibrate(CorpusFixture.calibrationWindows(calibration),
                    dir.resolve(calibration));
            for (String[] named : NAMED) {
                JsonNode ref = CorpusFixture.REF.at("/calibration_statistics/" + calibration + "/" + named[0]);
                InputStatistics stats = store.read(Integer.parseInt(named[1]), LinearInput.valueOf(named[2]));
                assertEquals(ref.get("T").asLong(), stats.rows());
                DenseMatrix c = stats.gram();
                double trace = 0;
                for (int i = 0; i < c.rows(); i++) {
                    trace += c.get(i, i);
                }
                assertRelative(ref.get("trace_XtX").asDouble(), trace, 1e-6, calibration + " trace " + named[0]);
                double[] eigen = DoubleKernels.symmetricEigen(c).values();
                for (int i = 0; i < 5; i++) {
                    assertRelative(ref.get("top5_eigenvalues_XtX").get(i).asDouble(), eigen[i], 1e-6,
                            calibration + " eigenvalue " + i + " " + named[0]);
                }
            }
        }
    }

    @Test
    void threeShardsMergeToOnePassExactly(@TempDir Path dir) {
        WindowPlan plan = CorpusFixture.calibrationWindows("moby-dick");
        CalibrationStore whole = CorpusFixture.calibrate(plan, dir.resolve("whole"));
        int block = CalibrationPass.blockWindows(plan.spec().window());
        assertEquals(4, block, "16 windows of 128 tokens make 4 blocks");
        List<CalibrationStore> shards = List.of(
                CorpusFixture.calibrate(plan.range(0, block), dir.resolve("s0")),
                CorpusFixture.calibrate(plan.range(block, 2 * block), dir.resolve("s1")),
                CorpusFixture.calibrate(plan.range(2 * block, plan.windows().size()), dir.resolve("s2")));
        CalibrationStore merged = CalibrationStore.merge(shards, dir.resolve("merged"));
        assertEquals(whole.layers(), merged.layers());
        assertEquals(6, merged.layers().size());
        for (int layer : whole.layers()) {
            for (LinearInput site : LinearInput.values()) {
                InputStatistics a = whole.read(layer, site);
                InputStatistics b = merged.read(layer, site);
                assertEquals(a.rows(), b.rows());
                assertArrayEquals(a.gram().data(), b.gram().data(), 0.0, "gram of layer " + layer + " " + site);
                assertArrayEquals(a.columnSums(), b.columnSums(), 0.0, "sums of layer " + layer + " " + site);
            }
        }
        assertTrue(shards.get(0).read(0, LinearInput.MLP_HIDDEN).rows() < whole.read(0, LinearInput.MLP_HIDDEN).rows());
    }

    /**
     * Windows run in parallel and the workers share the bands of C's rows where one thread does them all:
     * the stored accumulators, low parts included, must not change by a bit.
     */
    @Test
    void theStatisticsAreBitForBitTheSameWhateverTheNumberOfThreads(@TempDir Path dir) {
        WindowPlan plan = CorpusFixture.calibrationWindows("sotu");
        CalibrationStore one = CorpusFixture.calibrate(plan, dir.resolve("one"), 1);
        for (int threads : new int[] {2, 3}) {
            CalibrationStore many = CorpusFixture.calibrate(plan, dir.resolve("threads-" + threads), threads);
            assertEquals(one.layers(), many.layers());
            for (int layer : one.layers()) {
                for (LinearInput site : LinearInput.values()) {
                    InputStatistics a = one.read(layer, site);
                    InputStatistics b = many.read(layer, site);
                    String what = threads + " threads, layer " + layer + " " + site;
                    assertEquals(a.rows(), b.rows(), what);
                    assertArrayEquals(a.gramHigh(), b.gramHigh(), what + " gram");
                    assertArrayEquals(a.gramLow(), b.gramLow(), what + " gram low parts");
                    assertArrayEquals(a.sumHigh(), b.sumHigh(), what + " sums");
                    assertArrayEquals(a.sumLow(), b.sumLow(), what + " sum low parts");
                }
            }
        }
    }

    @Test
    void aCalibrationTextShorterThanOneWindowIsRejected() {
        EvalInputException e = assertThrows(EvalInputException.class, () -> WindowPlan.of(
                ProtocolSpec.laserRmt(128), List.of(new TokenizedText("short.txt", new int[50])), 1024));
        assertTrue(e.getMessage().contains("short.txt"), e.getMessage());
    }
}
