package dev.lasermesh.meshit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The independent reference of {@link GreedyJob}: {@code tiny-llama/search-reference.json}
 * ({@code laserrmt_greedy}), the trace of the same search computed with PyTorch (float32 forward) by
 * the fixtures' {@code tools/make_search_references.py}. A trace matches when it evaluates the same
 * candidates (layer, module, rank) in the same order with the same decisions, each perplexity within
 * {@value #TOLERANCE} relative: the fixture's README gives 4.4e-5 as the smallest relative gap between
 * a candidate's perplexity and the value it was compared with, so this tolerance cannot flip a decision.
 */
final class SearchReference {

    static final double TOLERANCE = 1e-5;

    private SearchReference() {
    }

    /** Asserts that the {@code search} of a {@code lasermesh-report.json} in {@code outputFolder} matches. */
    static void assertMatches(Path fixtures, Path outputFolder) {
        JsonNode reference = read(fixtures.resolve("tiny-llama/search-reference.json")).get("laserrmt_greedy");
        JsonNode search = read(outputFolder.resolve("lasermesh-report.json")).get("search");
        JsonNode want = reference.get("trace");
        JsonNode got = search.get("trace");
        assertEquals(want.size(), got.size(), "candidates in the trace, against search-reference.json");
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = want.get(i);
            JsonNode g = got.get(i);
            String where = "candidate " + (i + 1) + " against search-reference.json";
            assertEquals(w.get("layer").asInt(), g.get("layer").asInt(), where + ": layer");
            assertEquals(w.get("module").asText(), g.get("module").asText(), where + ": module");
            assertEquals(w.get("rank").asInt(), g.get("rank").asInt(), where + ": rank");
            assertEquals(w.get("accepted").asBoolean(), g.get("accepted").asBoolean(), where + ": accepted");
            double ppl = g.get("perplexity").asDouble();
            double expected = w.get("ppl").asDouble();
            assertTrue(Math.abs(ppl - expected) <= TOLERANCE * expected, where + ": perplexity " + ppl + ", reference "
                    + expected);
        }
        double finalPpl = search.get("final_perplexity").asDouble();
        double expectedFinal = reference.get("final_ppl").asDouble();
        assertTrue(Math.abs(finalPpl - expectedFinal) <= TOLERANCE * expectedFinal, "final perplexity " + finalPpl
                + ", reference " + expectedFinal);
    }

    private static JsonNode read(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }
}
