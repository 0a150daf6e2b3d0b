package dev.lasermesh.core.search;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * Everything needed to rebuild a {@link SearchMachine}: the specification, the results it holds (each
 * one either went into a decision or is still wanted) and the ids of the requests issued and not yet
 * answered. The machine's decisions are a function of the results, so {@link SearchMachine#restore}
 * replays them. A driver that persists snapshots less often than results arrive replays the results
 * it stored on top with {@link SearchMachine#record}, in the order it received them; results already in
 * the snapshot, duplicates and stale ones are ignored. (Arrival order matters only in such a replay: a
 * result for a state that becomes wanted only after a later acceptance cannot arrive live, since no
 * request for it exists yet, but a replay out of order could present one too early, and it would be
 * dropped.)
 *
 * @param spec        the strategy with its candidates and parameters
 * @param results     results recorded, in recording order
 * @param outstanding ids of issued requests still awaited, in issue order
 * @param direction   which way the metric is better; absent (older snapshots) = lower, perplexity
 */
public record SearchSnapshot(SearchSpec spec, List<EvaluationResult> results, List<String> outstanding,
                             MetricDirection direction) {

    /** A snapshot of a perplexity search. */
    public SearchSnapshot(SearchSpec spec, List<EvaluationResult> results, List<String> outstanding) {
        this(spec, results, outstanding, MetricDirection.LOWER_IS_BETTER);
    }

    @JsonCreator
    public SearchSnapshot {
        direction = direction == null ? MetricDirection.LOWER_IS_BETTER : direction;
        if (spec == null) {
            throw new SearchParameterException("search snapshot: spec is missing");
        }
        if (results == null || outstanding == null) {
            throw new SearchParameterException("search snapshot: results and outstanding must be present (may be empty)");
        }
        results = List.copyOf(results);
        outstanding = List.copyOf(outstanding);
    }
}
