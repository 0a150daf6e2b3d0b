package dev.lasermesh.core.eval.perplexity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.forward.LoadedModel;
import dev.lasermesh.core.eval.forward.ModelState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resuming from cached hidden states gives bit for bit the sums of a full recomputation (compared as
 * exact BigDecimal sums and as doubles), for every cache size down to the no-cache fallback; and a
 * plan scored as three shards merges to exactly the sums of one pass.
 */
class IncrementalEvaluationTest {

    private static LoadedModel model;
    private static WindowPlan plan;

    @BeforeAll
    static void open() {
        model = LoadedModel.fixture("tiny-llama");
        plan = WindowPlan.of(ProtocolSpec.laserRmt(128), TinyLlamaPerplexityTest.evalText(), TinyLlamaPerplexityTest.BOS)
                .range(0, 16);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ModelState scaled(ModelState state, String name, float factor) {
        float[] w = model.source().readFloats(name);
        for (int i = 0; i < w.length; i++) {
            w[i] *= factor;
        }
        return state.with(name, w);
    }

    private static PartialSums fullPass(ModelState state) {
        try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), plan, 2, 0)) {
            StateScore s = e.score(state, EvalProgress.NONE);
            assertEquals(0, s.resumedFromStage());
            return s.sums();
        }
    }

    private static long bytesPerStage() {
        return 4L * 256 * plan.windows().stream().mapToInt(w -> w.tokens().length).sum();
    }

    @Test
    void candidatesResumeAtTheirFirstChangedLayerAndEqualAFullPass() {
        ModelState base = model.base();
        ModelState layer4 = scaled(base, "model.layers.4.mlp.down_proj.weight", 0.9f);
        ModelState layer2 = scaled(layer4, "model.layers.2.self_attn.q_proj.weight", 0.8f);
        ModelState head = scaled(base, "model.norm.weight", 1.1f);
        try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), plan, 2, 1L << 30)) {
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, e.cachedStages());
            StateScore anchored = e.anchor(base, EvalProgress.NONE);
            assertEquals(fullPass(base), anchored.sums());

            StateScore s4 = e.score(layer4, EvalProgress.NONE);
            assertEquals(4, s4.resumedFromStage());
            assertEquals(fullPass(layer4), s4.sums());
            assertNotEquals(anchored.sums(), s4.sums());

            StateScore sHead = e.score(head, EvalProgress.NONE);
            assertEquals(6, sHead.resumedFromStage());
            assertEquals(fullPass(head), sHead.sums());

            assertEquals(4, e.anchor(layer4, EvalProgress.NONE).resumedFromStage());
            StateScore s2 = e.score(layer2, EvalProgress.NONE);
            assertEquals(2, s2.resumedFromStage());
            PartialSums full2 = fullPass(layer2);
            assertEquals(full2, s2.sums());
            assertEquals(Double.doubleToRawLongBits(plan.result(full2).perplexity()),
                    Double.doubleToRawLongBits(plan.result(s2.sums()).perplexity()));

            StateScore same = e.score(layer4, EvalProgress.NONE);
            assertEquals(7, same.resumedFromStage());
            assertEquals(fullPass(layer4), same.sums());
        }
    }

    @Test
    void aSmallerBudgetKeepsEvenlySpacedStagesAndResumesFromTheNearestBelow() {
        ModelState layer3 = scaled(model.base(), "model.layers.3.mlp.up_proj.weight", 0.9f);
        try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), plan, 2, 2 * bytesPerStage())) {
            assertArrayEquals(new int[] {2, 4}, e.cachedStages());
            assertEquals(2 * bytesPerStage(), e.cacheBytes());
            e.anchor(model.base(), EvalProgress.NONE);
            StateScore s = e.score(layer3, EvalProgress.NONE);
            assertEquals(2, s.resumedFromStage());
            assertEquals(fullPass(layer3), s.sums());
        }
    }

    @Test
    void aBudgetBelowOneStageFallsBackToFullRecomputation() {
        ModelState layer5 = scaled(model.base(), "model.layers.5.self_attn.o_proj.weight", 0.9f);
        try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), plan, 2, bytesPerStage() - 1)) {
            assertArrayEquals(new int[0], e.cachedStages());
            e.anchor(model.base(), EvalProgress.NONE);
            StateScore s = e.score(layer5, EvalProgress.NONE);
            assertEquals(0, s.resumedFromStage());
            assertEquals(fullPass(layer5), s.sums());
        }
    }

    @Test
    void embeddingChangesRecomputeEverything() {
        ModelState embed = scaled(model.base(), "model.embed_tokens.weight", 0.95f);
        try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), plan, 2, 1L << 30)) {
            e.anchor(model.base(), EvalProgress.NONE);
            assertEquals(0, e.score(embed, EvalProgress.NONE).resumedFromStage());
        }
    }

    @Test
    void threeShardsMergeToExactlyOnePass() {
        WindowPlan sliding = WindowPlan.of(ProtocolSpec.sliding(256, 128), TinyLlamaPerplexityTest.evalText(),
                TinyLlamaPerplexityTest.BOS).range(0, 12);
        for (WindowPlan whole : List.of(plan, sliding)) {
            PartialSums one;
            try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), whole, 2, 0)) {
                one = e.score(model.base(), EvalProgress.NONE).sums();
            }
            PartialSums merged = PartialSums.EMPTY;
            for (int shard = 2; shard >= 0; shard--) {
                try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), whole.shard(shard, 3), 1, 0)) {
                    merged = merged.merge(e.score(model.base(), EvalProgress.NONE).sums());
                }
            }
            assertEquals(one, merged);
            assertEquals(whole.result(one), whole.result(merged));
        }
    }

    @Test
    void progressCountsEveryWindowOnceInOrder() {
        List<Integer> seen = new ArrayList<>();
        try (PerplexityEvaluator e = new PerplexityEvaluator(model.weights(), plan, 2, 0)) {
            e.score(model.base(), (done, total) -> {
                assertEquals(plan.windows().size(), total);
                seen.add(done);
            });
        }
        assertEquals(java.util.stream.IntStream.rangeClosed(1, plan.windows().size()).boxed().toList(), seen);
    }
}
