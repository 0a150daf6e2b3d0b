package dev.lasermesh.core.eval.forward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Logits of tiny-llama against reference.json (float64 forward of the independent PyTorch
 * implementation). Tolerance 1e-4 absolute; the reference states a float32 forward differs by at
 * most 1.3e-5.
 */
class TinyLlamaLogitsTest {

    static final double TOLERANCE = 1e-4;
    private static final JsonNode REF = Fixtures.json("tiny-llama/reference.json");

    static int[] ints(JsonNode a) {
        return IntStream.range(0, a.size()).map(i -> a.get(i).asInt()).toArray();
    }

    /** Largest |logit − reference| over the last position and positions 0..31 × vocab 0..9. */
    static double worstError(float[] logits, int vocab, JsonNode ref) {
        int last = ref.at("/input_ids").size() - 1;
        double worst = 0;
        JsonNode lastRow = ref.get("last_position_logits");
        for (int v = 0; v < vocab; v++) {
            worst = Math.max(worst, Math.abs(logits[last * vocab + v] - lastRow.get(v).asDouble()));
        }
        JsonNode block = ref.get("positions_0_31_vocab_0_9");
        for (int p = 0; p < block.size(); p++) {
            for (int v = 0; v < 10; v++) {
                worst = Math.max(worst, Math.abs(logits[p * vocab + v] - block.get(p).get(v).asDouble()));
            }
        }
        return worst;
    }

    @Test
    void float32WeightsMatchTheReferenceLogits() {
        JsonNode ref = REF.get("logits");
        try (LoadedModel m = LoadedModel.fixture("tiny-llama")) {
            float[] logits = DecoderForward.logits(m.base(), ints(ref.get("input_ids")), 2);
            double worst = worstError(logits, 1026, ref);
            System.out.println("tiny-llama f32 logits: max abs error " + worst);
            assertTrue(worst < TOLERANCE, "max abs error " + worst);
        }
    }

    @Test
    void bf16WeightsMatchTheReferenceLogitsOfTheBf16Copy() {
        JsonNode ref = REF.get("logits_bf16_weights");
        try (LoadedModel m = LoadedModel.fixture("tiny-llama/model-bf16")) {
            float[] logits = DecoderForward.logits(m.base(), ints(ref.get("input_ids")), 2);
            double worst = worstError(logits, 1026, ref);
            System.out.println("tiny-llama bf16 logits: max abs error " + worst);
            assertTrue(worst < TOLERANCE, "max abs error " + worst);
        }
    }
}
