package dev.lasermesh.core.search;

import java.util.List;

/**
 * What a finished search found.
 *
 * @param strategy            the strategy name ({@code laserrmt-greedy}, {@code snr-greedy},
 *                            {@code laser-grid}, {@code one-shot}, {@code sfsd-surgical})
 * @param split               the windows the two perplexities below were measured on:
 *                            {@link Split#FULL}, or {@link Split#REPORT} for {@code laser-grid} and
 *                            {@code sfsd-surgical}
 * @param baselinePerplexity  the base model's perplexity
 * @param finalPerplexity     the perplexity with every accepted candidate applied
 * @param accepted            the candidates to apply, in acceptance order
 * @param trace               every candidate decided, in decision order
 */
public record SearchOutcome(String strategy, Split split, double baselinePerplexity, double finalPerplexity,
                            List<Candidate> accepted, List<TraceEntry> trace) {

    public SearchOutcome {
        accepted = List.copyOf(accepted);
        trace = List.copyOf(trace);
    }

    /**
     * The final state's perplexity on the search split of a search that chooses on the first windows
     * and reports on the others ({@code laser-grid}, {@code sfsd-surgical}): the one measured when the
     * last accepted candidate was decided (every later decision kept that state), or {@code base}, the
     * base model's search-split perplexity, when nothing was accepted.
     */
    public double searchSplitFinal(double base) {
        return trace.stream().filter(TraceEntry::accepted).mapToDouble(TraceEntry::perplexity)
                .reduce((a, b) -> b).orElse(base);
    }
}
