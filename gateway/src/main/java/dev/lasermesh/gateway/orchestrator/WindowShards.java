package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.task.WindowShard;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the windows [first, end) of one evaluation request into contiguous shards, one per evaluator
 * instance, sizes differing by at most one (as core's {@code WindowPlan.shard} cuts a plan). Empty
 * shards are left out, so a request over fewer windows than shards gets one shard per window.
 */
public final class WindowShards {

    private WindowShards() {
    }

    /**
     * The shards of [first, end).
     *
     * @param count how many shards at most, ≥ 1
     * @throws IllegalArgumentException when the range is empty or reversed, or count &lt; 1
     */
    public static List<WindowShard> cut(int first, int end, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("shard count must be >= 1, got " + count);
        }
        if (first < 0 || end <= first) {
            throw new IllegalArgumentException("window range [" + first + ", " + end + ") is empty");
        }
        long n = end - first;
        List<WindowShard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = first + (int) (n * i / count);
            int to = first + (int) (n * (i + 1) / count);
            if (to > from) {
                shards.add(new WindowShard(from, to));
            }
        }
        return shards;
    }
}
