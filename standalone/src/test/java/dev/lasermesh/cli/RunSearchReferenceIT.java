package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.eval.EvalOptions;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code lasermesh run} reproduces tiny-llama/search-reference.json: the traces of laserRMT's greedy
 * scan and of the SNR-ranked search computed by an independent PyTorch implementation (laserrmt policy
 * and protocol, window 128, first 8192 tokens). Same candidates in the same order, same ranks, same
 * decisions, every perplexity within 1e-5 relative (the smallest gap between a candidate and the value
 * it was compared with is 4.4e-5, so the decisions are not at the mercy of rounding).
 */
class RunSearchReferenceIT {

    private static final Path FIXTURES = Path.of(System.getProperty("lasermesh.fixtures", "../../shared/fixtures"));
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource({"laserrmt-greedy, laserrmt_greedy", "snr-greedy, snr_greedy"})
    void reproducesTheReferenceTrace(String strategy, String referenceKey) throws IOException {
        Path out = temp.resolve(strategy);
        int exit = LasermeshCli.run("run", FIXTURES.resolve("tiny-llama").toString(), "--strategy", strategy,
                "--text", FIXTURES.resolve("text/sotu-2009-2021.txt").toString(), "--max-tokens", "8192",
                "--window", "128", "--out", out.toString());
        assertEquals(0, exit);
        JsonNode reference = JSON.readTree(FIXTURES.resolve("tiny-llama/search-reference.json").toFile());
        JsonNode expected = reference.get(referenceKey);
        JsonNode report = JSON.readTree(out.resolve(ReducedModelWriter.REPORT_FILE).toFile());
        JsonNode search = report.get("search");
        assertClose(reference.get("baseline_ppl").asDouble(), search.get("baseline_perplexity").asDouble(),
                "baseline");
        JsonNode trace = search.get("trace");
        assertEquals(expected.get("trace").size(), trace.size(), "number of candidates evaluated");
        for (int i = 0; i < trace.size(); i++) {
            JsonNode want = expected.get("trace").get(i);
            JsonNode got = trace.get(i);
            String where = "candidate " + (i + 1) + " (" + want + ")";
            assertEquals(want.get("layer").asInt(), got.get("layer").asInt(), where);
            assertEquals(want.get("module").asText(), got.get("module").asText(), where);
            assertEquals(want.get("rank").asInt(), got.get("rank").asInt(), where);
            assertEquals(want.get("accepted").asBoolean(), got.get("accepted").asBoolean(), where);
            assertClose(want.get("ppl").asDouble(), got.get("perplexity").asDouble(), where);
        }
        assertClose(expected.get("final_ppl").asDouble(), search.get("final_perplexity").asDouble(), "final");
        List<String> acceptedExpected = new ArrayList<>();
        expected.get("accepted").forEach(a -> acceptedExpected.add(a.get(0).asInt() + "." + a.get(1).asText()));
        List<String> acceptedActual = new ArrayList<>();
        search.get("accepted").forEach(a -> acceptedActual.add(a.get("layer").asInt() + "." + a.get("module").asText()));
        assertEquals(acceptedExpected, acceptedActual);
        assertEquals(acceptedExpected.size(), report.get("totals").get("matrices").asInt(),
                "the output model replaces exactly the accepted matrices");
        double written = Evaluation.run(EvalOptions.of(out, List.of(FIXTURES.resolve("text/sotu-2009-2021.txt")),
                ProtocolSpec.laserRmt(128).withMaxTokens(8192)), EvalProgress.NONE).perplexity();
        assertEquals(search.get("final_perplexity").asDouble(), written, 1e-12 * written,
                "the written model scores what the search measured for its accepted state");
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= TOLERANCE * expected,
                what + ": expected " + expected + ", got " + actual + " (relative tolerance " + TOLERANCE + ")");
    }
}
