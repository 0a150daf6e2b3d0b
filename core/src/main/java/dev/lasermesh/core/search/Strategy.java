package dev.lasermesh.core.search;

import java.util.List;
import java.util.Map;

/**
 * The decision logic of one strategy, driven by {@link SearchMachine}. A strategy is a function of the
 * results it has consumed: it names the evaluations it still needs, and {@link #advance} makes every
 * decision the known results allow, in the strategy's own order, whatever order they arrived in.
 */
interface Strategy {

    /**
     * Every evaluation the strategy may still use and has not consumed, most urgent first (results may
     * already be known for some of them).
     */
    List<EvaluationRequest> wanted();

    /** Whether {@code requestId} is among {@link #wanted()}. */
    boolean wants(String requestId);

    /** Whether the result of {@code requestId} went into a decision (it must be kept for a snapshot). */
    boolean consumed(String requestId);

    /** Makes every decision that {@code perplexities} (request id → perplexity) allows. */
    void advance(Map<String, Double> perplexities);

    boolean done();

    /** The candidates decided so far, in decision order. */
    List<TraceEntry> trace();

    /** The result; only once {@link #done()}. */
    SearchOutcome outcome();
}
