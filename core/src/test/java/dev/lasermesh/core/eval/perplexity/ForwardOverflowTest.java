package dev.lasermesh.core.eval.perplexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.eval.EvalInputException;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.forward.LoadedModel;
import dev.lasermesh.core.eval.forward.ModelState;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finite weights so large that the float32 forward pass overflows give no perplexity: the evaluator
 * refuses them as bad input naming where the pass overflowed, on a full pass and on a resumed one;
 * a finite mean NLL beyond the double range of its exponential is an infinite perplexity.
 */
class ForwardOverflowTest {

    private static final String DOWN_5 = "model.layers.5.mlp.down_proj.weight";

    private static LoadedModel model;
    private static WindowPlan plan;

    @BeforeAll
    static void open() {
        model = LoadedModel.fixture("tiny-llama");
        plan = WindowPlan.of(ProtocolSpec.laserRmt(128), TinyLlamaPerplexityTest.evalText(), TinyLlamaPerplexityTest.BOS)
                .range(0, 4);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ModelState withHugeValues(String name, int count) {
        float[] w = model.source().readFloats(name);
        Arrays.fill(w, 0, count, 3e38f);
        return model.base().with(name, w);
    }

    @Test
    void anOverflowingLayerIsNamedOnAFullAndOnAResumedPass() {
        ModelState huge = withHugeValues(DOWN_5, 100);
        try (PerplexityEvaluator evaluator = new PerplexityEvaluator(model.weights(), plan, 2, 1L << 30)) {
            EvalInputException full = assertThrows(EvalInputException.class,
                    () -> evaluator.evaluate(huge, EvalProgress.NONE));
            assertTrue(full.getMessage().startsWith(model.weights().description()
                    + ": the float32 forward pass overflows (the output of layer 5 of window "), full.getMessage());
            evaluator.anchor(model.base(), EvalProgress.NONE);
            EvalInputException resumed = assertThrows(EvalInputException.class,
                    () -> evaluator.score(huge, EvalProgress.NONE));
            assertTrue(resumed.getMessage().contains("the output of layer 5"), resumed.getMessage());
        }
    }

    @Test
    void overflowingLogitsAreNamed() {
        float[] head = model.source().readFloats("lm_head.weight");
        for (int i = 0; i < head.length; i++) {
            head[i] = i % 2 == 0 ? 3e38f : -3e38f;
        }
        ModelState state = model.base().with("lm_head.weight", head);
        try (PerplexityEvaluator evaluator = new PerplexityEvaluator(model.weights(), plan, 1, 0)) {
            EvalInputException e = assertThrows(EvalInputException.class,
                    () -> evaluator.evaluate(state, EvalProgress.NONE));
            assertTrue(e.getMessage().contains("(the logits of window 0 holds NaN or infinite values)"), e.getMessage());
        }
    }

    @Test
    void aMeanLikelihoodBeyondTheExponentialsRangeIsAnInfinitePerplexity() {
        float[] head = model.source().readFloats("lm_head.weight");
        for (int i = 0; i < head.length; i++) {
            head[i] *= 1e4f;
        }
        try (PerplexityEvaluator evaluator = new PerplexityEvaluator(model.weights(), plan, 1, 0)) {
            PerplexityResult r = evaluator.evaluate(model.base().with("lm_head.weight", head), EvalProgress.NONE);
            assertTrue(Double.isFinite(r.meanNll()) && r.meanNll() > Math.log(Double.MAX_VALUE), "mean " + r.meanNll());
            assertEquals(Double.POSITIVE_INFINITY, r.perplexity());
            assertTrue(r.toJson().contains("\"perplexity\":\"Infinity\""), r.toJson());
        }
    }
}
