package dev.lasermesh.contracts.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3.2: partial results computed by different evaluators add up to the same number as one
 * pass. Through JSON too — the sums are decimals that travel with every digit.
 */
class EvaluationSumsTest {

    /** The sums of windows [from, to) of made-up window scores (each window: its NLL sum over 127 tokens). */
    private static EvaluationSums windows(double[] nll, int from, int to) {
        EvaluationSums sums = EvaluationSums.ZERO;
        for (int w = from; w < to; w++) {
            sums = sums.plus(new EvaluationSums(new BigDecimal(nll[w]), 127, 1, new BigDecimal(nll[w] / 127)));
        }
        return sums;
    }

    @Test
    void shardsSentThroughJsonAddUpToExactlyOnePass() {
        Random random = new Random(42);
        double[] nll = new double[50];
        for (int w = 0; w < nll.length; w++) {
            nll[w] = 127 * (2.5 + random.nextDouble());
        }
        EvaluationSums onePass = windows(nll, 0, 50);
        EvaluationSums merged = EvaluationSums.ZERO;
        for (int[] shard : new int[][] {{30, 50}, {0, 17}, {17, 30}}) {
            String json = Json.write(windows(nll, shard[0], shard[1]));
            merged = merged.plus(Json.read(json, EvaluationSums.class));
        }
        assertEquals(onePass, merged);
        assertEquals(0, onePass.nllSum().compareTo(merged.nllSum()));
        assertEquals(50 * 127, merged.tokens());
        double inDoubles = 0;
        for (int[] shard : new int[][] {{30, 50}, {0, 17}, {17, 30}}) {
            double part = 0;
            for (int w = shard[0]; w < shard[1]; w++) {
                part += nll[w];
            }
            inDoubles += part;
        }
        assertNotEquals(0, new BigDecimal(inDoubles).compareTo(onePass.nllSum()),
                "premise: summing the same shards in doubles would not be exact");
    }

    @Test
    void sumsAreNeverNegative() {
        ContractException e = assertThrows(ContractException.class,
                () -> new EvaluationSums(new BigDecimal("-0.5"), 1, 1, BigDecimal.ZERO));
        assertEquals("nllSum", e.field());
    }
}
