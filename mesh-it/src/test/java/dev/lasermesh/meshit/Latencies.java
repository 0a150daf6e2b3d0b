package dev.lasermesh.meshit;

import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Request latencies collected from many threads, summarised as percentiles (nearest rank). */
final class Latencies {

    private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    /** The {@code p}-th percentile in milliseconds (nearest rank: the smallest value with p% at or below it). */
    double percentileMillis(double p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalStateException("no latencies recorded");
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e6;
    }

    /** {@code n=… p50=… p95=… p99=… max=… ms}. */
    String summary() {
        return String.format(Locale.ROOT, "n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms", count(),
                percentileMillis(50), percentileMillis(95), percentileMillis(99), percentileMillis(100));
    }
}
