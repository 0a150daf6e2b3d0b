package dev.lasermesh.core.search;

import java.util.List;

/**
 * Everything needed to rebuild a {@link SearchMachine}: the specification, the results it holds (each
 * one either went into a decision or is still wanted) and the ids of the requests issued and not yet
 * answered. The machine's decisions are a function of the results, so {@link SearchMachine#restore}
 * replays them; results stored after the snapshot can be replayed on top with
 * {@link SearchMachine#record}, in any order, duplicates included.
 *
 * @param spec        the strategy with its candidates and parameters
 * @param results     results recorded, in recording order
 * @param outstanding ids of issued requests still awaited, in issue order
 */
public record SearchSnapshot(SearchSpec spec, List<EvaluationResult> results, List<String> outstanding) {

    public SearchSnapshot {
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
