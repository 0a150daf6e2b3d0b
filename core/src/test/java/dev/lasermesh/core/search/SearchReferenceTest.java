package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The greedy strategies against the independent traces of {@code tiny-llama/search-reference.json}
 * (made by {@code tools/make_search_references.py} with PyTorch). The oracle answers each request with
 * the reference perplexity of the model state it names; the machine must issue exactly the reference
 * states, in the reference order, and reach the same decisions. Perplexities are the oracle's own, so
 * comparisons are exact.
 */
class SearchReferenceTest {

    private static final JsonNode REFERENCE = Fixtures.json("tiny-llama/search-reference.json");
    private static final double BASELINE = REFERENCE.get("baseline_ppl").asDouble();
    private static final Map<String, String> MODULE_PATHS = Map.of("down", "mlp.down_proj", "up", "mlp.up_proj",
            "gate", "mlp.gate_proj", "q", "self_attn.q_proj", "k", "self_attn.k_proj", "v", "self_attn.v_proj",
            "o", "self_attn.o_proj");
    private static final List<String> ALL_MODULES = List.of("down", "up", "gate", "q", "k", "v", "o");
    private static final int LAYERS = 6;

    /** One reference step: the candidate, the perplexity of (accepted before it + it), the decision. */
    private record Step(Candidate candidate, double perplexity, boolean accepted) {
    }

    private static String matrix(int layer, String module) {
        return "model.layers." + layer + "." + MODULE_PATHS.get(module) + ".weight";
    }

    private static List<Step> steps(String strategy) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode entry : REFERENCE.get(strategy).get("trace")) {
            int layer = entry.get("layer").asInt();
            String module = entry.get("module").asText();
            double snr = entry.has("snr") ? entry.get("snr").asDouble() : Double.NaN;
            Candidate candidate = new Candidate(matrix(layer, module), layer, module, entry.get("rank").asInt(), snr);
            steps.add(new Step(candidate, entry.get("ppl").asDouble(), entry.get("accepted").asBoolean()));
        }
        return steps;
    }

    /** The model state step i evaluated, in the order the request must list it. */
    private static List<Replacement> state(List<Step> steps, int i) {
        List<Replacement> state = new ArrayList<>();
        for (int j = 0; j < i; j++) {
            if (steps.get(j).accepted()) {
                state.add(steps.get(j).candidate().replacement());
            }
        }
        state.add(steps.get(i).candidate().replacement());
        return state;
    }

    /**
     * Reference perplexity of each state the reference visited; any other state (a speculative probe
     * made useless by an acceptance) gets 1.0, the lowest perplexity there is, which would be accepted
     * and change the trace if the machine ever used it.
     */
    private static double oracle(List<Step> steps, EvaluationRequest request) {
        Map<Set<Replacement>, Double> known = new HashMap<>();
        known.put(Set.of(), BASELINE);
        for (int i = 0; i < steps.size(); i++) {
            known.put(new HashSet<>(state(steps, i)), steps.get(i).perplexity());
        }
        return known.getOrDefault(new HashSet<>(request.replacements()), 1.0);
    }

    /** One evaluator: the machine must ask for the baseline and then exactly the reference states. */
    private static SearchOutcome runSequentially(SearchSpec spec, List<Step> steps) {
        SearchMachine machine = SearchMachine.start(spec);
        List<EvaluationRequest> first = machine.issue(1);
        assertEquals(1, first.size());
        assertEquals(List.of(), first.getFirst().replacements(), "the base model is evaluated first");
        machine.record(new EvaluationResult(first.getFirst().id(), BASELINE));
        for (int i = 0; i < steps.size(); i++) {
            List<EvaluationRequest> issued = machine.issue(1);
            assertEquals(1, issued.size(), "one request per free evaluator at step " + (i + 1));
            EvaluationRequest request = issued.getFirst();
            assertEquals(Split.FULL, request.split());
            assertEquals(state(steps, i), request.replacements(), "model state of step " + (i + 1));
            assertTrue(machine.record(new EvaluationResult(request.id(), steps.get(i).perplexity())));
        }
        assertTrue(machine.isDone());
        assertEquals(List.of(), machine.issue(1));
        return machine.outcome();
    }

    private static void assertMatchesReference(String strategy, List<Step> steps, SearchOutcome outcome) {
        assertEquals(steps.size(), outcome.trace().size(), "candidates visited");
        double best = BASELINE;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            TraceEntry entry = outcome.trace().get(i);
            String where = "trace entry " + (i + 1);
            assertEquals(i + 1, entry.order(), where);
            assertEquals(step.candidate().layer(), entry.layer(), where);
            assertEquals(step.candidate().module(), entry.module(), where);
            assertEquals(step.candidate().rank(), entry.rank(), where);
            assertEquals(step.candidate().snr(), entry.snr(), where);
            assertEquals(step.perplexity(), entry.perplexity(), where);
            assertEquals(best, entry.comparedWith(), where);
            assertEquals(step.accepted(), entry.accepted(), where);
            if (step.accepted()) {
                best = step.perplexity();
            }
        }
        List<List<Object>> accepted = outcome.accepted().stream()
                .map(c -> List.<Object>of(c.layer(), c.module())).toList();
        List<List<Object>> expected = new ArrayList<>();
        REFERENCE.get(strategy).get("accepted")
                .forEach(pair -> expected.add(List.of(pair.get(0).asInt(), pair.get(1).asText())));
        assertEquals(expected, accepted);
        assertEquals(BASELINE, outcome.baselinePerplexity());
        assertEquals(Split.FULL, outcome.split());
    }

    /** The 36 scanned candidates plus the gate matrices, which the default types leave out; shuffled. */
    private static List<Candidate> laserRmtCandidates(List<Step> steps) {
        List<Candidate> candidates = new ArrayList<>(steps.stream().map(Step::candidate).toList());
        for (int layer = 0; layer < LAYERS; layer++) {
            candidates.add(new Candidate(matrix(layer, "gate"), layer, "gate", 1, Double.NaN));
        }
        Collections.shuffle(candidates, new Random(7));
        return candidates;
    }

    @Test
    void laserRmtGreedyReproducesTheReferenceTrace() {
        List<Step> steps = steps("laserrmt_greedy");
        SearchOutcome outcome = runSequentially(LaserRmtGreedySpec.withDefaults(laserRmtCandidates(steps)), steps);
        assertMatchesReference("laserrmt_greedy", steps, outcome);
        assertEquals(REFERENCE.get("laserrmt_greedy").get("final_ppl").asDouble(), outcome.finalPerplexity());
        assertEquals("laserrmt-greedy", outcome.strategy());
    }

    @Test
    void laserRmtGreedyWithFourEvaluatorsAndShuffledDeliveryReachesTheSameResult() {
        List<Step> steps = steps("laserrmt_greedy");
        SearchOutcome sequential = runSequentially(LaserRmtGreedySpec.withDefaults(laserRmtCandidates(steps)), steps);
        for (long seed = 1; seed <= 3; seed++) {
            SimulatedEvaluators evaluators = new SimulatedEvaluators(4, seed, request -> oracle(steps, request));
            SearchOutcome parallel = evaluators.finish(
                    SearchMachine.start(LaserRmtGreedySpec.withDefaults(laserRmtCandidates(steps))));
            assertEquals(sequential, parallel, "seed " + seed);
            assertEquals(4, evaluators.largestBatch(), "four requests in flight at once");
        }
    }

    @Test
    void laserRmtGreedyStopsAtTheAcceptanceCap() {
        List<Step> steps = steps("laserrmt_greedy");
        int secondAcceptance = 0;
        for (int accepted = 0; accepted < 2; secondAcceptance++) {
            if (steps.get(secondAcceptance).accepted()) {
                accepted++;
            }
        }
        List<Step> prefix = steps.subList(0, secondAcceptance);
        LaserRmtGreedySpec spec = new LaserRmtGreedySpec(laserRmtCandidates(steps),
                LaserRmtGreedySpec.DEFAULT_TYPES, 2, false);
        SearchOutcome outcome = runSequentially(spec, prefix);
        assertEquals(prefix.getLast().perplexity(), outcome.finalPerplexity());
        assertEquals(2, outcome.accepted().size());
    }

    /**
     * The reference lists only the 15 lowest-SNR matrices; the other 27 of the 42 get SNRs above the
     * 15th (one of them infinite, as a matrix with no noise part has), which is all the reference says
     * about them. Ranks of those not in the greedy trace (gate) are never used.
     */
    private static List<Candidate> snrCandidates(List<Step> steps) {
        Map<String, Candidate> byMatrix = new HashMap<>();
        steps.forEach(s -> byMatrix.put(s.candidate().matrix(), s.candidate()));
        Map<String, Integer> greedyRanks = new HashMap<>();
        steps("laserrmt_greedy").forEach(s -> greedyRanks.put(s.candidate().matrix(), s.candidate().rank()));
        List<Candidate> candidates = new ArrayList<>(byMatrix.values());
        double highest = steps.getLast().candidate().snr();
        int extra = 0;
        for (int layer = 0; layer < LAYERS; layer++) {
            for (String module : ALL_MODULES) {
                String name = matrix(layer, module);
                if (!byMatrix.containsKey(name)) {
                    double snr = extra == 0 ? Double.POSITIVE_INFINITY : highest + extra;
                    candidates.add(new Candidate(name, layer, module, greedyRanks.getOrDefault(name, 1), snr));
                    extra++;
                }
            }
        }
        assertEquals(LAYERS * ALL_MODULES.size(), candidates.size());
        Collections.shuffle(candidates, new Random(11));
        return candidates;
    }

    @Test
    void snrGreedyReproducesTheReferenceTrace() {
        List<Step> steps = steps("snr_greedy");
        assertEquals(SnrGreedySpec.DEFAULT_COUNT, steps.size());
        SearchOutcome outcome = runSequentially(SnrGreedySpec.withDefaults(snrCandidates(steps)), steps);
        assertMatchesReference("snr_greedy", steps, outcome);
        assertEquals(REFERENCE.get("snr_greedy").get("final_ppl").asDouble(), outcome.finalPerplexity());
        assertEquals("snr-greedy", outcome.strategy());
    }

    @Test
    void snrGreedyWithThreeEvaluatorsAndShuffledDeliveryReachesTheSameResult() {
        List<Step> steps = steps("snr_greedy");
        SearchOutcome sequential = runSequentially(SnrGreedySpec.withDefaults(snrCandidates(steps)), steps);
        for (long seed = 1; seed <= 3; seed++) {
            SimulatedEvaluators evaluators = new SimulatedEvaluators(3, seed, request -> oracle(steps, request));
            assertEquals(sequential, evaluators.finish(SearchMachine.start(SnrGreedySpec.withDefaults(snrCandidates(steps)))),
                    "seed " + seed);
        }
    }
}
