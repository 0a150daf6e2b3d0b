package dev.lasermesh.gateway.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.eval.task.SentenceEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Task shards (DESIGN §7.1) cover a request's examples contiguously, each starting at a batch of its
 * split, so every evaluator's embedding batches are those of a whole pass.
 */
class TaskEvaluationsTest {

    @Test
    void shardsStartAtBatchesOfTheirSplitAndCoverTheExamples() {
        int batch = SentenceEmbedder.BATCH_SIZE;
        for (int[] c : new int[][] {{0, 400, 400, 2}, {0, 800, 400, 3}, {0, 800, 400, 7}, {0, 37, 37, 4}, {0, 50, 21, 5}}) {
            int first = c[0];
            int end = c[1];
            int train = c[2];
            List<WindowShard> shards = TaskEvaluations.cut(first, end, train, c[3]);
            String where = "examples [" + first + ", " + end + "), " + train + " train, " + c[3] + " shards: " + shards;
            assertEquals(first, shards.getFirst().first(), where);
            assertEquals(end, (int) shards.getLast().end(), where);
            assertTrue(shards.size() <= c[3], where);
            for (int i = 0; i < shards.size(); i++) {
                WindowShard s = shards.get(i);
                assertTrue(s.end() > s.first(), where);
                int offset = s.first() < train ? s.first() : s.first() - train;
                assertEquals(0, offset % batch, where + ": shard " + s + " starts off a batch of its split");
                if (i > 0) {
                    assertEquals((int) shards.get(i - 1).end(), s.first(), where + ": contiguous");
                }
            }
        }
    }
}
