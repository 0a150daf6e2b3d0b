package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad parameters are rejected with a message naming the parameter and the value. */
class SearchSpecTest {

    private static final Candidate DOWN = new Candidate("model.layers.1.mlp.down_proj.weight", 1, "down", 89, 1.5);
    private static final Candidate Q = new Candidate("model.layers.1.self_attn.q_proj.weight", 1, "q", 58, 0.9);

    private static void assertRejected(Executable creation, String... fragments) {
        SearchParameterException error = assertThrows(SearchParameterException.class, creation);
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), "'" + error.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    @Test
    void greedyParametersAreChecked() {
        assertRejected(() -> new SnrGreedySpec(List.of(DOWN), 0), "snr-greedy", "count must be >= 1, got 0");
        assertRejected(() -> new LaserRmtGreedySpec(List.of(DOWN), LaserRmtGreedySpec.DEFAULT_TYPES, -2, false),
                "laserrmt-greedy", "maxAccepted must be >= -1", "got -2");
        assertRejected(() -> new LaserRmtGreedySpec(List.of(DOWN), List.of(), 5, false), "types");
        assertRejected(() -> new LaserRmtGreedySpec(List.of(DOWN), List.of("down", "down"), 5, false),
                "types lists 'down' more than once");
        assertRejected(() -> new LaserRmtGreedySpec(List.of(DOWN), List.of("gate"), 5, false),
                "no candidate has a module in types [gate]");
        Candidate twin = new Candidate("model.layers.1.mlp.down_proj.other", 1, "down", 10, 1.0);
        assertRejected(() -> LaserRmtGreedySpec.withDefaults(List.of(DOWN, twin)), "layer 1 module down");
        assertRejected(() -> new SnrGreedySpec(List.of(DOWN, new Candidate("m", 0, "q", 3, Double.NaN)), 15),
                "candidate m has no SNR");
    }

    @Test
    void candidateListsAreChecked() {
        assertRejected(() -> new OneShotSpec(List.of()), "one-shot", "candidates must not be empty");
        assertRejected(() -> SnrGreedySpec.withDefaults(List.of(DOWN, Q, DOWN)),
                "candidate matrix model.layers.1.mlp.down_proj.weight appears more than once");
        assertRejected(() -> new Candidate("w", 0, "down", -1, 1.0), "candidate w", "rank must be >= 0, got -1");
        assertRejected(() -> new Candidate("w", -1, "down", 3, 1.0), "layer must be >= 0");
        assertRejected(() -> new Candidate(" ", 0, "down", 3, 1.0), "matrix must be a tensor name");
        assertRejected(() -> new Candidate("w", 0, "", 3, 1.0), "module");
    }

    @Test
    void gridParametersAreChecked() {
        assertRejected(() -> new GridPoint(DOWN, 0.0), "rho of model.layers.1.mlp.down_proj.weight",
                "must be in (0, 1], got 0.0");
        assertRejected(() -> new GridPoint(DOWN, 1.5), "got 1.5");
        assertRejected(() -> new GridPoint(DOWN, Double.NaN), "got NaN");
        assertEquals(1.0, new GridPoint(DOWN, 1.0).rho());
        assertRejected(() -> new LaserGridSpec(List.of(new GridPoint(DOWN, 0.5)), 1.0),
                "validationFraction must be in (0, 1), got 1.0");
        assertRejected(() -> new LaserGridSpec(List.of(new GridPoint(DOWN, 0.5)), 0.0), "validationFraction");
        assertRejected(() -> LaserGridSpec.withDefaults(List.of(new GridPoint(DOWN, 0.5), new GridPoint(DOWN, 0.5))),
                "with rho 0.5 appears more than once");
        assertRejected(() -> LaserGridSpec.withDefaults(List.of()), "points must not be empty");
    }

    @Test
    void resultsAndDriverCallsAreChecked() {
        assertRejected(() -> new EvaluationResult("full-0-abc", Double.NaN), "full-0-abc", "perplexity", "NaN");
        SearchMachine machine = SearchMachine.start(new OneShotSpec(List.of(DOWN)));
        String id = machine.issue(1).getFirst().id();
        assertRejected(() -> machine.record(new EvaluationResult(id, 0.5)), "must be a number >= 1, got 0.5");
        SearchMachine accuracy = SearchMachine.start(new OneShotSpec(List.of(DOWN)), MetricDirection.HIGHER_IS_BETTER);
        String first = accuracy.issue(1).getFirst().id();
        assertRejected(() -> accuracy.record(new EvaluationResult(first, 1.5)), "accuracy must be a number in [0, 1]");
        IllegalArgumentException slots = assertThrows(IllegalArgumentException.class, () -> machine.issue(-1));
        assertTrue(slots.getMessage().contains("slots must be >= 0"));
        IllegalStateException early = assertThrows(IllegalStateException.class, machine::outcome);
        assertTrue(early.getMessage().contains("not finished"));
    }

    @Test
    void aBadSpecInJsonFailsWithTheParameterNamed() {
        String json = """
                {"strategy": "snr-greedy", "count": 0,
                 "candidates": [{"matrix": "w", "layer": 0, "module": "q", "rank": 3, "snr": 1.0}]}""";
        Exception error = assertThrows(Exception.class, () -> new ObjectMapper().readValue(json, SearchSpec.class));
        assertTrue(error.getMessage().contains("count must be >= 1, got 0"), error.getMessage());
    }

    @Test
    void requestIdsNameTheEvaluatedStateOnly() {
        Replacement a = DOWN.replacement();
        Replacement b = Q.replacement();
        String id = EvaluationRequest.of(Split.FULL, 0.0, List.of(a, b)).id();
        assertTrue(id.matches("full-2-[0-9a-f]{24}"), id);
        assertEquals(id, EvaluationRequest.of(Split.FULL, 0.0, List.of(b, a)).id(), "order does not matter");
        assertNotEquals(id, EvaluationRequest.of(Split.FULL, 0.0, List.of(a, new Replacement(Q.matrix(), 57))).id());
        String validation = EvaluationRequest.of(Split.VALIDATION, 0.2, List.of(a)).id();
        assertTrue(validation.startsWith("validation-1-"), validation);
        assertNotEquals(validation, EvaluationRequest.of(Split.REPORT, 0.2, List.of(a)).id());
        assertNotEquals(validation, EvaluationRequest.of(Split.VALIDATION, 0.25, List.of(a)).id());
    }
}
