package dev.lasermesh.core.eval.bench;

import java.util.Arrays;

/**
 * Wall-clock timing for the evaluation benchmarks: the best of repeated runs, and the speed-up of a
 * faster task over a baseline as the median of paired ratios. Each candidate timing is paired with a
 * baseline timing taken just before it, so load from other processes that comes and goes during the
 * run affects both sides of a ratio alike (the project machines are shared).
 */
final class PairedTiming {

    private PairedTiming() {
    }

    /** The shortest of {@code repeats} runs of {@code task}, in seconds. */
    static double best(int repeats, Runnable task) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            task.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    /** Median over {@code pairs} of (time of {@code baseline}) / (time of {@code candidate} run right after it). */
    static double medianSpeedUp(int pairs, Runnable baseline, Runnable candidate) {
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratios[i] = best(1, baseline) / best(1, candidate);
        }
        Arrays.sort(ratios);
        return ratios[pairs / 2];
    }
}
