package dev.lasermesh.core.eval.perplexity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.eval.EvalInputException;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.forward.LoadedModel;
import dev.lasermesh.core.eval.forward.ModelState;
import org.junit.jupiter.api.Test;

/**
 * Finite weights so large that the float32 forward pass overflows give no perplexity: the evaluator
 * refuses them as bad input naming where the pass overflowed, on a full pass and on a resumed one;
 * a finite mean NLL beyond the double range of its exponential is an infinite perplexity.
 */
class ForwardOverflowTest {

    private static final float HUGE = 3e38f;

    private static WindowPlan fourWindows() {
        return WindowPlan.of(ProtocolSpec.laserRmt(128), TinyLlamaPerplexityTest.evalText(),
                TinyLlamaPerplexityTest.BOS).range(0, 4);
    }

    /** The base model with tensor {@code name}'s element i replaced by {@code value(i, w[i])}. */
    private static ModelState edited(LoadedModel model, String name, Edit value) {
        float[] w = model.source().readFloats(name);
        for (int i = 0; i < w.length; i++) {
            w[i] = value.apply(i, w[i]);
        }
        return model.base().with(name, w);
    }

    @FunctionalInterface
    private interface Edit {
        float apply(int index, float value);
    }

    @Test
    void anOverflowingLayerIsNamedOnAFullAndOnAResumedPass() {
        try (LoadedModel model = LoadedModel.fixture("tiny-llama");
             PerplexityEvaluator evaluator = new PerplexityEvaluator(model.weights(), fourWindows(), 2, 1L << 30)) {
            ModelState huge = edited(model, "model.layers.5.mlp.down_proj.weight", (i, w) -> i < 100 ? HUGE : w);
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
        try (LoadedModel model = LoadedModel.fixture("tiny-llama");
             PerplexityEvaluator evaluator = new PerplexityEvaluator(model.weights(), fourWindows(), 1, 0)) {
            ModelState state = edited(model, "lm_head.weight", (i, w) -> i % 2 == 0 ? HUGE : -HUGE);
            EvalInputException e = assertThrows(EvalInputException.class,
                    () -> evaluator.evaluate(state, EvalProgress.NONE));
            assertTrue(e.getMessage().contains("(the logits of window 0 holds NaN or infinite values)"), e.getMessage());
        }
    }

    @Test
    void aMeanLikelihoodBeyondTheExponentialsRangeIsAnInfinitePerplexity() {
        try (LoadedModel model = LoadedModel.fixture("tiny-llama");
             PerplexityEvaluator evaluator = new PerplexityEvaluator(model.weights(), fourWindows(), 1, 0)) {
            PerplexityResult r = evaluator.evaluate(edited(model, "lm_head.weight", (i, w) -> w * 1e4f),
                    EvalProgress.NONE);
            assertTrue(Double.isFinite(r.meanNll()) && r.meanNll() > Math.log(Double.MAX_VALUE), "mean " + r.meanNll());
            assertEquals(Double.POSITIVE_INFINITY, r.perplexity());
            assertTrue(r.toJson().contains("\"perplexity\":\"Infinity\""), r.toJson());
        }
    }
}
