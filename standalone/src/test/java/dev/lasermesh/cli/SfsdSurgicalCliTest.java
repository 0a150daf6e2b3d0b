package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.eval.EvalOptions;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lasermesh run --strategy sfsd-surgical} on tiny-llama (DESIGN §7.4): the decisions are checked
 * against SFSD's rule recomputed here from the report's recorded perplexities (grid from the shapes of
 * the fixture README, bound base·1.005^(N − i), smallest passing rank, last matrix first), and both
 * splits' numbers against the written model: with 32 windows of equal length, the perplexity of all
 * windows is the geometric mean of the search split's (6 windows) and the report split's (26 windows),
 * each weighted by its windows.
 */
class SfsdSurgicalCliTest {

    private static final Path TINY = CliRun.FIXTURES.resolve("tiny-llama");
    private static final Path TEXT = CliRun.FIXTURES.resolve("text/sotu-2009-2021.txt");
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    /** tiny-llama's shapes [out, in] by module (fixtures/corpus/README.md). */
    private static final Map<String, int[]> SHAPES = Map.of("q", new int[] {256, 256}, "v", new int[] {128, 256},
            "down", new int[] {256, 704});

    @TempDir
    Path temp;

    @Test
    void ranksFollowTheToleranceRuleAndBothSplitsAreReported() throws IOException {
        Path out = temp.resolve("sfsd");
        CliRun run = CliRun.of("run", TINY.toString(), "--strategy", "sfsd-surgical", "--text", TEXT.toString(),
                "--max-tokens", "4096", "--layers", "3-5", "--modules", "q,v,down", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("search split (first 0.2 of the windows)"), run.out());
        assertTrue(run.out().contains("report split (the other windows)"), run.out());
        JsonNode report = JSON.readTree(out.resolve("lasermesh-report.json").toFile());
        JsonNode evaluation = report.get("perplexity");
        assertEquals(32, evaluation.get("windows").asInt());
        assertEquals("report", evaluation.get("split").asText());
        double searchBefore = evaluation.get("search_before").asDouble();
        List<String> accepted = assertFollowsTheRule(report.get("search").get("trace"), searchBefore, 9);
        assertFalse(accepted.isEmpty(), "premise: the search reduces something");

        double all = Evaluation.run(EvalOptions.of(out, List.of(TEXT), ProtocolSpec.laserRmt(128).withMaxTokens(4096)),
                EvalProgress.NONE).perplexity();
        double combined = Math.exp((6 * Math.log(evaluation.get("search_after").asDouble())
                + 26 * Math.log(evaluation.get("after").asDouble())) / 32);
        assertEquals(all, combined, 1e-9 * all, "the written model scores what the search measured on both splits");
        double base = Evaluation.run(EvalOptions.of(TINY, List.of(TEXT), ProtocolSpec.laserRmt(128).withMaxTokens(4096)),
                EvalProgress.NONE).perplexity();
        double baseCombined = Math.exp((6 * Math.log(searchBefore) + 26 * Math.log(evaluation.get("before").asDouble()))
                / 32);
        assertEquals(base, baseCombined, 1e-9 * base, "the base model's numbers on both splits");
        assertEquals(accepted.size(), report.get("totals").get("matrices").asInt(),
                "the output replaces exactly the accepted matrices");
    }

    @Test
    void runTakesACalibratedMethodIntoTheSearch() throws IOException {
        Path out = temp.resolve("whitened");
        CliRun run = CliRun.of("run", TINY.toString(), "--strategy", "sfsd-surgical", "--text", TEXT.toString(),
                "--max-tokens", "4096", "--layers", "5", "--modules", "q,v,down", "--method", "whitened",
                "--calibration", CliRun.FIXTURES.resolve("text/moby-dick.txt").toString(), "--calibration-tokens",
                "1024", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode report = JSON.readTree(out.resolve("lasermesh-report.json").toFile());
        List<String> accepted = assertFollowsTheRule(report.get("search").get("trace"),
                report.get("perplexity").get("search_before").asDouble(), 3);
        JsonNode method = report.get("method");
        assertEquals("whitened", method.get("name").asText());
        assertEquals(new TreeSet<>(accepted), fieldNames(method.get("matrices")),
                "the method section covers the written matrices only");
        method.get("matrices").forEach(m -> assertTrue(m.get("activation_error").asDouble() > 0
                && m.get("activation_error").asDouble() < 1, m.toString()));
    }

    @Test
    void aCalibratedMethodWithoutCalibrationIsRefusedByRun() {
        Path out = temp.resolve("refused");
        CliRun.of("run", TINY.toString(), "--text", TEXT.toString(), "--out", out.toString(), "--method", "feature")
                .assertBadInputNaming("--method feature", "--calibration");
        assertFalse(Files.exists(out.resolve("lasermesh-report.json")));
    }

    /**
     * SFSD's rule over a report trace; returns the accepted matrices. Entries must come matrix by
     * matrix from the last (layer descending; q, v, down within a layer, so down first).
     */
    private static List<String> assertFollowsTheRule(JsonNode trace, double base, int matrices) {
        Map<String, List<JsonNode>> byMatrix = new LinkedHashMap<>();
        trace.forEach(e -> byMatrix.computeIfAbsent(e.get("matrix").asText(), m -> new ArrayList<>()).add(e));
        assertEquals(matrices, byMatrix.size(), "every matrix decided");
        List<String> accepted = new ArrayList<>();
        int i = matrices;
        int previousLayer = Integer.MAX_VALUE;
        for (List<JsonNode> entries : byMatrix.values()) {
            i--;
            JsonNode first = entries.getFirst();
            assertTrue(first.get("layer").asInt() <= previousLayer, "from the last layer to the first");
            previousLayer = first.get("layer").asInt();
            int[] shape = SHAPES.get(first.get("module").asText());
            List<Integer> grid = grid(shape[0], shape[1]);
            double bound = base * Math.pow(1.005, matrices - i);
            for (int g = 0; g < entries.size(); g++) {
                JsonNode e = entries.get(g);
                String where = e.get("matrix").asText() + " rank " + e.get("rank").asInt();
                assertEquals(grid.get(g), e.get("rank").asInt(), where + ": grid ranks from the smallest");
                double perplexity = e.get("perplexity").asDouble();
                assertEquals(perplexity <= bound, e.get("accepted").asBoolean(), where + " vs bound " + bound);
                assertEquals(bound, e.get("compared_with").asDouble(), 1e-12 * bound, where);
                assertEquals(g == entries.size() - 1 && perplexity <= bound, e.get("accepted").asBoolean(), where);
            }
            boolean reduced = entries.getLast().get("accepted").asBoolean();
            if (reduced) {
                accepted.add(first.get("matrix").asText());
            } else {
                assertEquals(grid.size(), entries.size(), "a dense matrix failed its whole grid");
            }
        }
        return accepted;
    }

    /** {1} ∪ {⌊f·r_max⌋ : f = 0.1 … 1.0}, r_max = ⌊out·in/(out + in)⌋, in exact integers. */
    private static List<Integer> grid(int out, int in) {
        int breakEven = out * in / (out + in);
        TreeSet<Integer> ranks = new TreeSet<>(List.of(1));
        for (int tenths = 1; tenths <= 10; tenths++) {
            if (tenths * breakEven / 10 > 0) {
                ranks.add(tenths * breakEven / 10);
            }
        }
        return List.copyOf(ranks);
    }

    private static TreeSet<String> fieldNames(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
