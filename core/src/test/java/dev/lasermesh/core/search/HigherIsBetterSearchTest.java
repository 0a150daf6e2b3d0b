package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Searches over an accuracy (higher is better, DESIGN §7.1): the greedy rules are the perplexity
 * rules mirrored — strict improvement, a tie rejected (accepted with ties allowed) — the grid chooses
 * the highest validation value, and a snapshot keeps the direction.
 */
class HigherIsBetterSearchTest {

    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("encoder.layer.2.attention.self.query.weight", 2, "q", 10, 1.0),
            new Candidate("encoder.layer.2.attention.self.key.weight", 2, "k", 11, 1.0),
            new Candidate("encoder.layer.1.attention.self.query.weight", 1, "q", 12, 1.0),
            new Candidate("encoder.layer.1.attention.self.key.weight", 1, "k", 13, 1.0));

    /** Accuracy of a state by its last replacement; 0.5 for the base model. */
    private static final Map<Integer, Double> BY_RANK = Map.of(10, 0.6, 11, 0.6, 12, 0.55, 13, 0.7);

    private static SearchOutcome run(SearchMachine machine) {
        while (!machine.isDone()) {
            for (EvaluationRequest r : machine.issue(1)) {
                double value = r.replacements().isEmpty() ? 0.5 : BY_RANK.get(r.replacements().getLast().rank());
                machine.record(new EvaluationResult(r.id(), value));
                machine = SearchMachine.restore(machine.snapshot());
            }
        }
        return machine.outcome();
    }

    @Test
    void greedyAcceptsStrictImprovementsOnly() throws Exception {
        SearchMachine machine = SearchMachine.start(new LaserRmtGreedySpec(CANDIDATES, List.of("q", "k"), -1, false),
                MetricDirection.HIGHER_IS_BETTER);
        String json = new ObjectMapper().writeValueAsString(machine.snapshot());
        assertEquals(MetricDirection.HIGHER_IS_BETTER,
                new ObjectMapper().readValue(json, SearchSnapshot.class).direction());
        SearchOutcome outcome = run(machine);
        assertEquals(List.of(true, false, false, true), outcome.trace().stream().map(TraceEntry::accepted).toList(),
                "0.6 beats 0.5; 0.6 ties (rejected); 0.55 is worse; 0.7 beats 0.6");
        assertEquals(0.5, outcome.baselinePerplexity());
        assertEquals(0.7, outcome.finalPerplexity());
    }

    @Test
    void greedyWithTiesAcceptsAnEqualValue() {
        SearchOutcome outcome = run(SearchMachine.start(new LaserRmtGreedySpec(CANDIDATES, List.of("q", "k"), -1, true),
                MetricDirection.HIGHER_IS_BETTER));
        assertEquals(List.of(true, true, false, true), outcome.trace().stream().map(TraceEntry::accepted).toList());
    }

    @Test
    void anOldSnapshotWithoutDirectionIsAPerplexitySearch() throws Exception {
        String json = "{\"spec\":{\"strategy\":\"one-shot\",\"candidates\":[{\"matrix\":\"w\",\"layer\":0,"
                + "\"module\":\"q\",\"rank\":3,\"snr\":1.0}]},\"results\":[],\"outstanding\":[]}";
        assertEquals(MetricDirection.LOWER_IS_BETTER, new ObjectMapper().readValue(json, SearchSnapshot.class).direction());
    }
}
