package dev.lasermesh.core.eval.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.model.ModelSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java encoder against {@code minilm/reference.json → sentences}: the 16 sentences (English,
 * numbers, accents, CJK, emoji, whitespace, a paragraph truncated to 128 tokens) get the reference's
 * token ids exactly, and embeddings within 1e-5 of the PyTorch float64 reference and of the ONNX
 * runtime's numbers — embedded in one packed batch, so the per-sequence attention is exercised.
 */
class MiniLmEmbeddingTest {

    private static final double TOLERANCE = 1e-5;

    @Test
    void theSixteenSentenceEmbeddingsMatchTheReference() {
        JsonNode sentences = Fixtures.json("minilm/reference.json").get("sentences");
        assertEquals(16, sentences.size());
        List<String> texts = new ArrayList<>();
        sentences.forEach(s -> texts.add(s.get("text").asText()));
        try (ModelSource source = ModelSource.open(Fixtures.path("minilm"));
             EncoderModel model = EncoderModel.of(source)) {
            assertEquals(128, model.maxTokens());
            List<int[]> ids = model.tokenize(texts);
            boolean truncated = false;
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(ints(sentences.get(i).get("ids")), ids.get(i), "ids of sentence " + i);
                truncated |= ids.get(i).length == 128;
            }
            assertTrue(truncated, "one sentence reaches the 128-token truncation");
            double[][] embeddings;
            try (SentenceEmbedder embedder = new SentenceEmbedder(model.weights(), model.pooling(), ids, 2, 0)) {
                embeddings = embedder.embed(model.weights().baseState());
            }
            double worst = 0;
            for (int i = 0; i < texts.size(); i++) {
                for (String key : List.of("embedding_f64", "embedding_onnx")) {
                    JsonNode expected = sentences.get(i).get(key);
                    assertEquals(expected.size(), embeddings[i].length);
                    for (int d = 0; d < expected.size(); d++) {
                        double diff = Math.abs(expected.get(d).asDouble() - embeddings[i][d]);
                        worst = Math.max(worst, diff);
                        assertTrue(diff <= TOLERANCE, key + " of sentence " + i + " dim " + d + ": expected "
                                + expected.get(d).asDouble() + ", got " + embeddings[i][d]);
                    }
                }
            }
            System.out.printf("max |embedding - reference| = %.3g%n", worst);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
