package dev.lasermesh.core.calibrate;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.FrobeniusDistance;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three methods on all 42 matrices of tiny-llama, both calibrations, the five ranks of
 * corpus/reference.json: activation and weight errors within 1e-5 relative (the README's "Tolerances to
 * expect": X from a float32 forward moves them by ≤ 2e-9), singular values of W·S within 1e-6.
 */
class MethodDecompositionTest {

    private static final LinearAlgebra LA = LinearAlgebras.create(1);
    private static final Map<String, ReductionMethod> METHODS = Map.of(
            "A", ReductionMethod.SVD, "B", ReductionMethod.WHITENED, "C", ReductionMethod.FEATURE);

    @Test
    void errorsOfAllMatricesMatchTheReference(@TempDir Path dir) {
        int checked = 0;
        for (String calibration : List.of("moby-dick", "sotu")) {
            CalibrationStore store = CorpusFixture.calibrate(CorpusFixture.calibrationWindows(calibration),
                    dir.resolve(calibration));
            try (ModelSource source = ModelSource.open(CorpusFixture.MODEL)) {
                for (MatrixRef m : CorpusFixture.linears()) {
                    DenseMatrix w = source.readMatrix(m);
                    InputStatistics stats = store.read(m.layer(), LinearInput.ofTensor(m.name()));
                    DenseMatrix gram = stats.gram();
                    ActivationError activationError = ActivationError.of(w, gram);
                    JsonNode ref = CorpusFixture.REF.at("/matrices/" + m.name() + "/calibrations/" + calibration);
                    assertEquals(0.0, ref.get("lambda").asDouble());
                    for (var method : METHODS.entrySet()) {
                        MethodDecomposition d = switch (method.getValue()) {
                            case SVD -> PlainSvdDecomposition.of(w, LA);
                            case WHITENED -> WhitenedDecomposition.of(m.name(), w, gram, LA);
                            case FEATURE -> FeatureDecomposition.of(m.name(), w, stats);
                        };
                        assertEquals(0.0, d.lambda());
                        for (Iterator<Map.Entry<String, JsonNode>> it = ref.at("/methods/" + method.getKey()).fields();
                             it.hasNext(); ) {
                            Map.Entry<String, JsonNode> rank = it.next();
                            int k = rank.getValue().get("k").asInt();
                            DenseMatrix wk = d.factors(k).product();
                            String what = calibration + " " + m.name() + " " + method.getKey() + " " + rank.getKey();
                            assertRelative(rank.getValue().get("act_rel_err").asDouble(),
                                    activationError.relative(wk), 1e-5, what + " act_rel_err");
                            assertRelative(rank.getValue().get("weight_fro_err").asDouble(),
                                    FrobeniusDistance.between(w, wk), 1e-5, what + " weight_fro_err");
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(2 * 42 * 3 * 5, checked);
    }

    @Test
    void singularValuesOfWTimesSMatchTheReference(@TempDir Path dir) {
        CalibrationStore store = CorpusFixture.calibrate(CorpusFixture.calibrationWindows("moby-dick"), dir);
        try (ModelSource source = ModelSource.open(CorpusFixture.MODEL)) {
            for (String name : List.of("model.layers.0.self_attn.q_proj.weight", "model.layers.3.mlp.down_proj.weight")) {
                MatrixRef m = source.catalogue().byName(name);
                WhitenedDecomposition d = WhitenedDecomposition.of(name, source.readMatrix(m),
                        store.read(m.layer(), LinearInput.ofTensor(name)).gram(), LA);
                JsonNode ref = CorpusFixture.REF.at("/calibration_statistics/moby-dick/" + name + "/top5_singular_values_W_S");
                for (int i = 0; i < 5; i++) {
                    assertRelative(ref.get(i).asDouble(), d.spectrum()[i], 1e-6, name + " sigma " + i + " of W·S");
                }
            }
        }
    }

    @Test
    void dampingMakesASingularButFixableGramUsable() {
        float[] x = {1, 1, 1, 1, 1, 1, 1, 1};
        InputStatistics stats = new InputStatistics(2);
        stats.add(x, 4);
        DenseMatrix w = new DenseMatrix(1, 2, new double[] {1, -0.5});
        WhitenedDecomposition d = WhitenedDecomposition.of("dup", w, stats.gram(), LA);
        assertTrue(d.lambda() > 0, "λ " + d.lambda());
        assertEquals(1e-6 * 4, d.lambda(), 1e-12, "first damping step is 1e-6·mean(diag C)");
    }

    @Test
    void aGramDampingCannotFixIsAClearError() {
        InputStatistics empty = new InputStatistics(3);
        DenseMatrix w = new DenseMatrix(2, 3, new double[6]);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> WhitenedDecomposition.of("model.layers.0.mlp.down_proj.weight", w, empty.gram(), LA));
        assertTrue(e.getMessage().contains("model.layers.0.mlp.down_proj.weight")
                && e.getMessage().contains("singular"), e.getMessage());
    }
}
