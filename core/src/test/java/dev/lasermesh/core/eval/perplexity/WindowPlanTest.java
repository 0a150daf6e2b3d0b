package dev.lasermesh.core.eval.perplexity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.eval.EvalInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Window layouts against the counts tiny-llama/reference.json states for each protocol. */
class WindowPlanTest {

    private static final JsonNode REF = Fixtures.json("tiny-llama/reference.json");
    private static final int BOS = 1024;

    private static int[] evalIds() {
        JsonNode a = REF.get("eval_token_ids");
        return IntStream.range(0, a.size()).map(i -> a.get(i).asInt()).toArray();
    }

    private static long scored(WindowPlan p) {
        return p.windows().stream().mapToLong(TokenWindow::scoredCount).sum();
    }

    @Test
    void countsMatchTheReferenceForAllThreeProtocols() {
        List<TokenizedText> text = List.of(new TokenizedText("sotu", evalIds()));
        JsonNode ppl = REF.at("/perplexity/float32");

        WindowPlan laser = WindowPlan.of(ProtocolSpec.laserRmt(128), text, BOS);
        assertEquals(ppl.at("/laserrmt/n_windows").asInt(), laser.windows().size());
        assertEquals(ppl.at("/laserrmt/tokens_scored").asLong(), scored(laser));
        assertEquals(BOS, laser.windows().getFirst().tokens()[0]);

        WindowPlan sliding = WindowPlan.of(ProtocolSpec.sliding(256, 128), text, BOS);
        assertEquals(ppl.at("/sliding/n_windows").asInt(), sliding.windows().size());
        assertEquals(ppl.at("/sliding/tokens_scored").asLong(), scored(sliding));
        assertEquals(0, sliding.windows().get(0).firstScored());
        assertEquals(127, sliding.windows().get(1).firstScored());

        WindowPlan chunked = WindowPlan.of(ProtocolSpec.chunkedBos(128), text, BOS);
        assertEquals(ppl.at("/chunked-bos/n_chunks").asInt(), chunked.windows().size());
        assertEquals(ppl.at("/chunked-bos/tokens_scored").asLong(), scored(chunked));
        assertTrue(chunked.windows().stream().allMatch(w -> w.tokens().length == 129 && w.tokens()[0] == BOS));
    }

    @Test
    void textsArePooledAndEachIsCutToMaxTokens() {
        int[] ids = evalIds();
        WindowPlan plan = WindowPlan.of(ProtocolSpec.laserRmt(128).withMaxTokens(1000),
                List.of(new TokenizedText("a", ids), new TokenizedText("b", ids)), BOS);
        assertEquals(2 * (1001 / 128), plan.windows().size());
        assertEquals(1, plan.windows().getLast().text());
        assertArrayEquals(plan.windows().get(0).tokens(), plan.windows().get(7).tokens());
    }

    @Test
    void shardsCoverThePlanInOrder() {
        WindowPlan plan = WindowPlan.of(ProtocolSpec.laserRmt(128), List.of(new TokenizedText("t", evalIds())), BOS);
        List<TokenWindow> joined = IntStream.range(0, 3).boxed()
                .flatMap(i -> plan.shard(i, 3).windows().stream()).toList();
        assertEquals(plan.windows(), joined);
    }

    @Test
    void partialSumsMergeExactlyInAnyGrouping() {
        WindowScore a = new WindowScore(0.1, 3);
        WindowScore b = new WindowScore(0.2, 5);
        WindowScore c = new WindowScore(0.3, 7);
        PartialSums left = PartialSums.EMPTY.plus(a).plus(b).merge(PartialSums.EMPTY.plus(c));
        PartialSums right = PartialSums.EMPTY.plus(a).merge(PartialSums.EMPTY.plus(b).plus(c));
        assertEquals(left, right);
        assertEquals(new BigDecimal(0.1).add(new BigDecimal(0.2)).add(new BigDecimal(0.3)), left.nllSum());
    }

    @Test
    void emptyOrShortTextsAreRejectedWithTheirName() {
        EvalInputException empty = assertThrows(EvalInputException.class, () -> WindowPlan.of(ProtocolSpec.sliding(8, 4),
                List.of(new TokenizedText("empty.txt", new int[0])), BOS));
        assertTrue(empty.getMessage().contains("empty.txt is empty"), empty.getMessage());
        EvalInputException shortText = assertThrows(EvalInputException.class, () -> WindowPlan.of(ProtocolSpec.laserRmt(128),
                List.of(new TokenizedText("short.txt", new int[126])), BOS));
        assertTrue(shortText.getMessage().contains("short.txt has 126 tokens, too few for one laserrmt window of 128"),
                shortText.getMessage());
        assertThrows(EvalInputException.class, () -> WindowPlan.of(ProtocolSpec.chunkedBos(128),
                List.of(new TokenizedText("short.txt", new int[127])), BOS));
    }

    @Test
    void protocolParametersAreChecked() {
        assertThrows(EvalInputException.class, () -> ProtocolSpec.sliding(128, 129));
        assertThrows(EvalInputException.class, () -> new ProtocolSpec(Protocol.LASERRMT, 128, 64, OptionalInt.empty()));
        assertThrows(EvalInputException.class, () -> ProtocolSpec.laserRmt(1));
        assertEquals(ProtocolSpec.sliding(256, 128),
                ProtocolSpec.of(Protocol.SLIDING, 256, OptionalInt.empty(), OptionalInt.empty()));
        assertEquals(ProtocolSpec.chunkedBos(64).withMaxTokens(8192),
                ProtocolSpec.of(Protocol.CHUNKED_BOS, 64, OptionalInt.empty(), OptionalInt.of(8192)));
        EvalInputException unknown = assertThrows(EvalInputException.class, () -> Protocol.fromName("wikitext"));
        assertTrue(unknown.getMessage().contains("\"wikitext\""));
    }
}
