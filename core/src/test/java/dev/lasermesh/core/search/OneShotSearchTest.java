package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code one-shot}: the base model and everything applied, two evaluations, no decisions. */
class OneShotSearchTest {

    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("model.layers.1.mlp.down_proj.weight", 1, "down", 89, 1.6),
            new Candidate("model.layers.0.self_attn.q_proj.weight", 0, "q", 58, 0.95),
            new Candidate("model.layers.3.mlp.gate_proj.weight", 3, "gate", 120, 2.2));

    @Test
    void evaluatesTheBaseModelAndEveryCandidateAppliedAtOnce() {
        SearchMachine machine = SearchMachine.start(new OneShotSpec(CANDIDATES));
        List<EvaluationRequest> requests = machine.issue(8);
        assertEquals(2, requests.size());
        assertEquals(List.of(), requests.get(0).replacements());
        assertEquals(CANDIDATES.stream().map(Candidate::replacement).toList(), requests.get(1).replacements());
        assertTrue(machine.record(new EvaluationResult(requests.get(1).id(), 22.25)));
        assertFalse(machine.isDone());
        assertTrue(machine.record(new EvaluationResult(requests.get(0).id(), 21.5)));

        SearchOutcome outcome = machine.outcome();
        assertEquals("one-shot", outcome.strategy());
        assertEquals(21.5, outcome.baselinePerplexity());
        assertEquals(22.25, outcome.finalPerplexity());
        assertEquals(CANDIDATES, outcome.accepted());
        assertEquals(CANDIDATES.size(), outcome.trace().size());
        for (TraceEntry entry : outcome.trace()) {
            assertTrue(entry.accepted());
            assertEquals(22.25, entry.perplexity());
            assertEquals(21.5, entry.comparedWith());
            assertEquals(requests.get(1).id(), entry.requestId());
        }
        assertEquals(List.of(), machine.issue(8));
    }

    @Test
    void oneEvaluatorGetsTheTwoRequestsInTurn() {
        SearchMachine machine = SearchMachine.start(new OneShotSpec(CANDIDATES));
        EvaluationRequest baseline = machine.issue(1).getFirst();
        assertEquals(List.of(), machine.issue(0));
        EvaluationRequest combined = machine.issue(1).getFirst();
        assertEquals(List.of(), machine.issue(1), "both are outstanding");
        assertEquals(List.of(baseline, combined), machine.outstanding());
        machine.record(new EvaluationResult(baseline.id(), 30.0));
        assertFalse(machine.record(new EvaluationResult(baseline.id(), 30.0)), "duplicate ignored");
        machine.record(new EvaluationResult(combined.id(), 29.0));
        assertEquals(29.0, machine.outcome().finalPerplexity());
    }
}
