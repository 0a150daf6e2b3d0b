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
        return cut(first, end, count, 1);
    }

    /**
     * The shards of [first, end) cut only where {@code unit} windows from {@code first} end: the whole
     * units are shared out as {@link #cut(int, int, int)} shares out windows, the last shard taking the
     * windows after the last whole unit. Calibration shards are cut on the blocks their statistics are
     * summed by ({@code CalibrationPass.blockWindows}), so that they merge to exactly one pass's.
     *
     * @param unit windows per unit, ≥ 1
     * @throws IllegalArgumentException when the range is empty or reversed, or count or unit &lt; 1
     */
    public static List<WindowShard> cut(int first, int end, int count, int unit) {
        if (count < 1) {
            throw new IllegalArgumentException("shard count must be >= 1, got " + count);
        }
        if (first < 0 || end <= first) {
            throw new IllegalArgumentException("window range [" + first + ", " + end + ") is empty");
        }
        if (unit < 1) {
            throw new IllegalArgumentException("shard unit must be >= 1 window, got " + unit);
        }
        long units = ((long) end - first + unit - 1) / unit;
        List<WindowShard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = first + (int) (units * i / count) * unit;
            int to = (int) Math.min(end, first + (units * (i + 1) / count) * unit);
            if (to > from) {
                shards.add(new WindowShard(from, to));
            }
        }
        return shards;
    }
}
