package dev.lasermesh.core.eval.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Weights kept narrow in the mapped file (the widened model over the memory budget) give the logits of
 * today's widen-at-load path bit for bit, on the tiny-llama fixture in BF16 and float32, with the
 * widened-matrix cache holding everything, some matrices or nothing.
 */
class NarrowWeightsTest {

    private static final int[] TOKENS = new SplittableRandom(5).ints(96, 0, 1024).toArray();

    @Test
    void bf16KeptNarrowGivesTheWidenedLogits() {
        float[] widened = logits("tiny-llama/model-bf16", Long.MAX_VALUE, false);
        assertArrayEquals(widened, logits("tiny-llama/model-bf16", 0, true), 0f, "no cache: widened per product");
        long twoMlpMatrices = 2L * 704 * 256 * Float.BYTES;
        assertArrayEquals(widened, logits("tiny-llama/model-bf16", twoMlpMatrices, true), 0f, "matrices evicted and widened again");
        assertArrayEquals(widened, logits("tiny-llama/model-bf16", 10L << 20, true), 0f, "model under 10 MB widened: cached");
    }

    @Test
    void float32StaysMappedWhateverTheBudget() {
        assertArrayEquals(logits("tiny-llama", Long.MAX_VALUE, false), logits("tiny-llama", 0, false), 0f);
    }

    @Test
    void cacheHoldsAtMostItsCapacityAndWidensExactly() {
        try (TensorSource source = TensorSources.open(Fixtures.path("tiny-llama/model-bf16"))) {
            WeightMatrix gate = narrow(source, "model.layers.0.mlp.gate_proj.weight");
            WeightMatrix up = narrow(source, "model.layers.0.mlp.up_proj.weight");
            long one = 704L * 256 * Float.BYTES;
            WidenedCache cache = new WidenedCache(one + one / 2);
            float[] g = cache.widened(gate);
            assertArrayEquals(source.readFloats(gate.name()), g, 0f, "exact widening");
            assertSame(g, cache.widened(gate), "kept while it fits");
            float[] u = cache.widened(up);
            assertArrayEquals(source.readFloats(up.name()), u, 0f);
            assertEquals(one, cache.bytes(), "the older matrix made room for the newer");
            assertSame(u, cache.widened(up));
            assertNotSame(g, cache.widened(gate), "the dropped matrix is widened anew");
            WidenedCache tooSmall = new WidenedCache(one - 1);
            tooSmall.widened(gate);
            assertEquals(0, tooSmall.bytes(), "a matrix over the capacity is not kept");
        }
    }

    private static WeightMatrix narrow(TensorSource source, String name) {
        TensorInfo info = source.info(name);
        assertEquals(DType.BF16, info.dtype());
        return new WeightMatrix(name, (int) info.shape()[0], (int) info.shape()[1], source.bytes(name), info.dtype());
    }

    private static float[] logits(String folder, long budget, boolean expectNarrow) {
        ModelConfig config = ModelConfig.read(Fixtures.path(folder + "/config.json"));
        try (TensorSource source = TensorSources.open(Fixtures.path(folder))) {
            DecoderWeights weights = DecoderWeights.bind(config, source, RankMap.NONE, budget);
            assertEquals(expectNarrow, weights.keepsWeightsNarrow(), folder + " under a budget of " + budget);
            float[] out = DecoderForward.logits(weights.baseState(), TOKENS, 1);
            assertEquals(TOKENS.length * config.vocabSize(), out.length);
            return out;
        }
    }
}
