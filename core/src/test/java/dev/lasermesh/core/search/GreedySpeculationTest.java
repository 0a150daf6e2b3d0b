package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parallel speculation must not change the result: with 1, 2, 3 or 8 evaluators, results in random
 * order, duplicated and redelivered late, the greedy strategies give the trace, accepted set and final
 * perplexity of the sequential definition, which this test computes with its own plain loop.
 */
class GreedySpeculationTest {

    private static final List<String> TYPES = List.of("down", "up", "q", "k", "v", "o");
    private static final int LAYERS = 5;

    /** Candidates in laserRMT scan order (layers last to first, types in order). */
    private static List<Candidate> scanOrder() {
        List<Candidate> candidates = new ArrayList<>();
        for (int layer = LAYERS - 1; layer >= 0; layer--) {
            for (String type : TYPES) {
                String name = "model.layers." + layer + "." + type + ".weight";
                double snr = Math.floorMod((name + "snr").hashCode(), 1000) / 100.0;
                candidates.add(new Candidate(name, layer, type, 8 + layer + type.length(), snr));
            }
        }
        return candidates;
    }

    private static List<Candidate> shuffled(List<Candidate> candidates) {
        List<Candidate> copy = new ArrayList<>(candidates);
        Collections.shuffle(copy, new Random(3));
        return copy;
    }

    /** The sequential definition, written out plainly. */
    private static SearchOutcome sequential(String strategy, List<Candidate> order, boolean acceptTies,
                                            int maxAccepted) {
        double baseline = SyntheticPerplexity.of(new EvaluationRequest("base", Split.FULL, 0.0, List.of()));
        double best = baseline;
        List<Candidate> accepted = new ArrayList<>();
        List<TraceEntry> trace = new ArrayList<>();
        for (Candidate candidate : order) {
            if (maxAccepted >= 0 && accepted.size() >= maxAccepted) {
                break;
            }
            List<Replacement> state = new ArrayList<>(accepted.stream().map(Candidate::replacement).toList());
            state.add(candidate.replacement());
            EvaluationRequest request = EvaluationRequest.of(Split.FULL, 0.0, state);
            double perplexity = SyntheticPerplexity.of(request);
            boolean accept = acceptTies ? perplexity <= best : perplexity < best;
            trace.add(TraceEntry.of(trace.size() + 1, request, candidate, null, perplexity, best, accept));
            if (accept) {
                accepted.add(candidate);
                best = perplexity;
            }
        }
        return new SearchOutcome(strategy, Split.FULL, baseline, best, accepted, trace);
    }

    private static void assertSameForAnyParallelism(SearchSpec spec, SearchOutcome expected) {
        for (int evaluators : new int[] {1, 2, 3, 8}) {
            for (long seed = 1; seed <= 4; seed++) {
                SimulatedEvaluators simulated = new SimulatedEvaluators(evaluators, seed, SyntheticPerplexity::of);
                SearchOutcome outcome = simulated.finish(SearchMachine.start(spec));
                assertEquals(expected, outcome, evaluators + " evaluators, seed " + seed);
                if (evaluators > 1) {
                    assertTrue(simulated.largestBatch() > 1, "speculation issued several requests at once");
                }
            }
        }
    }

    private static int firstAcceptance(SearchOutcome outcome) {
        return outcome.trace().stream().filter(TraceEntry::accepted).findFirst().orElseThrow().order();
    }

    private static int lastAcceptance(SearchOutcome outcome) {
        return outcome.trace().stream().filter(TraceEntry::accepted).reduce((a, b) -> b).orElseThrow().order();
    }

    private static long ties(SearchOutcome outcome) {
        return outcome.trace().stream().filter(e -> e.perplexity() == e.comparedWith()).count();
    }

    @Test
    void strictScanWithoutCapMatchesTheSequentialDefinition() {
        SearchOutcome expected = sequential("laserrmt-greedy", scanOrder(), false, -1);
        assertTrue(firstAcceptance(expected) <= 3, "premise: an early acceptance");
        assertTrue(lastAcceptance(expected) >= scanOrder().size() - 5, "premise: a late acceptance");
        assertTrue(ties(expected) > 0, "premise: a tie, rejected by the strict rule");
        assertSameForAnyParallelism(new LaserRmtGreedySpec(shuffled(scanOrder()), TYPES, -1, false), expected);
    }

    @Test
    void nonStrictScanAcceptsTiesAndMatchesTheSequentialDefinition() {
        SearchOutcome expected = sequential("laserrmt-greedy", scanOrder(), true, -1);
        assertTrue(expected.trace().stream().anyMatch(e -> e.accepted() && e.perplexity() == e.comparedWith()),
                "premise: a tie accepted by the non-strict rule");
        assertSameForAnyParallelism(new LaserRmtGreedySpec(shuffled(scanOrder()), TYPES, -1, true), expected);
    }

    @Test
    void cappedScanStopsAtTheCapForAnyParallelism() {
        SearchOutcome expected = sequential("laserrmt-greedy", scanOrder(), false, 3);
        assertEquals(3, expected.accepted().size());
        assertTrue(expected.trace().size() < scanOrder().size(), "premise: the cap ends the scan early");
        assertSameForAnyParallelism(new LaserRmtGreedySpec(shuffled(scanOrder()), TYPES, 3, false), expected);
    }

    @Test
    void snrRankedScanMatchesTheSequentialDefinition() {
        List<Candidate> lowest = scanOrder().stream()
                .sorted(Comparator.comparingDouble(Candidate::snr)).limit(15).toList();
        SearchOutcome expected = sequential("snr-greedy", lowest, true, -1);
        assertTrue(expected.accepted().size() >= 2, "premise: several acceptances");
        assertSameForAnyParallelism(new SnrGreedySpec(shuffled(scanOrder()), 15), expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8})
    void duplicateAndStaleResultsAreIgnored(int evaluators) {
        SimulatedEvaluators simulated = new SimulatedEvaluators(evaluators, 5, SyntheticPerplexity::of);
        SearchMachine machine = SearchMachine.start(new LaserRmtGreedySpec(shuffled(scanOrder()), TYPES, -1, false));
        simulated.finish(machine);
        assertTrue(simulated.ignored() > 0, "premise: some deliveries were duplicates or stale");
        for (EvaluationResult result : simulated.delivered()) {
            assertFalse(machine.record(result), "a finished search takes no more results");
        }
        assertEquals(List.of(), machine.outstanding());
    }

    @Test
    void anAcceptanceDropsTheSpeculativeProbesAndReissuesThemAgainstTheNewState() {
        List<Candidate> order = scanOrder();
        SearchMachine machine = SearchMachine.start(new LaserRmtGreedySpec(order, TYPES, -1, false));
        List<EvaluationRequest> batch = machine.issue(4);
        assertEquals(List.of(), batch.get(0).replacements());
        assertEquals(List.of(order.get(0).replacement()), batch.get(1).replacements());
        assertEquals(List.of(order.get(1).replacement()), batch.get(2).replacements());
        EvaluationRequest staleProbe = batch.get(2);
        machine.record(new EvaluationResult(batch.get(0).id(), 20.0));
        assertTrue(machine.record(new EvaluationResult(batch.get(1).id(), 19.0)), "first candidate accepted");
        assertTrue(machine.trace().getFirst().accepted());
        assertFalse(machine.outstanding().contains(staleProbe), "the probe without the accepted matrix is dropped");
        assertFalse(machine.record(new EvaluationResult(staleProbe.id(), 1.0)), "its late result is ignored");
        List<EvaluationRequest> reissued = machine.issue(1);
        assertEquals(List.of(order.get(0).replacement(), order.get(1).replacement()),
                reissued.getFirst().replacements());
    }
}
