package dev.lasermesh.core.eval.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * llama2.c's stories260K in Hugging Face layout (tied embeddings, GQA 8/4, head_dim 8) against
 * stories260K/reference.json (float64 forward, cross-checked with llama2.c's run.c).
 */
class Stories260KTest {

    private static final JsonNode REF = Fixtures.json("stories260K/reference.json");

    @Test
    void allLogitsOfIds1To40MatchWithin1eMinus4() {
        JsonNode check = REF.get("logits_check");
        try (LoadedModel m = LoadedModel.fixture("stories260K")) {
            float[] logits = DecoderForward.logits(m.base(), TinyLlamaLogitsTest.ints(check.get("input_ids")), 1);
            JsonNode ref = check.get("logits");
            double worst = 0;
            for (int p = 0; p < ref.size(); p++) {
                for (int v = 0; v < 512; v++) {
                    worst = Math.max(worst, Math.abs(logits[p * 512 + v] - ref.get(p).get(v).asDouble()));
                }
            }
            System.out.println("stories260K logits: max abs error " + worst + " over " + ref.size() + " x 512");
            assertTrue(worst < 1e-4, "max abs error " + worst);
        }
    }

    @Test
    void greedyContinuationFromBosEqualsTheReference() {
        JsonNode greedy = REF.get("greedy");
        int[] expected = TinyLlamaLogitsTest.ints(greedy.get("generated_ids"));
        int[] sequence = TinyLlamaLogitsTest.ints(greedy.get("prompt_ids"));
        try (LoadedModel m = LoadedModel.fixture("stories260K")) {
            for (int step = 0; step < expected.length; step++) {
                float[] logits = DecoderForward.logits(m.base(), sequence, 1);
                int last = (sequence.length - 1) * 512;
                int best = 0;
                for (int v = 1; v < 512; v++) {
                    if (logits[last + v] > logits[last + best]) {
                        best = v;
                    }
                }
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = best;
            }
        }
        int[] generated = Arrays.copyOfRange(sequence, sequence.length - expected.length, sequence.length);
        assertArrayEquals(expected, generated);
    }
}
