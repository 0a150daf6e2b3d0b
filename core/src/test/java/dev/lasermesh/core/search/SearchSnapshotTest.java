package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A search persisted mid-way (as JSON, the way the gateway stores it) and restored must continue
 * exactly as the original: same outstanding requests, same next requests, same outcome.
 */
class SearchSnapshotTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>();
        for (int layer = 3; layer >= 0; layer--) {
            for (String type : List.of("down", "up", "q", "k", "v", "o")) {
                String name = "model.layers." + layer + "." + type + ".weight";
                double snr = layer == 0 && type.equals("o") ? Double.POSITIVE_INFINITY : layer + type.length() / 10.0;
                candidates.add(new Candidate(name, layer, type, 4 + layer, type.equals("v") ? Double.NaN : snr));
            }
        }
        return candidates;
    }

    private static SearchMachine roundTrip(SearchMachine machine) throws JsonProcessingException {
        String json = JSON.writeValueAsString(machine.snapshot());
        return SearchMachine.restore(JSON.readValue(json, SearchSnapshot.class));
    }

    private static void assertResumesIdentically(SearchSpec spec, int deliveriesBeforeSnapshot)
            throws JsonProcessingException {
        SearchOutcome uninterrupted = new SimulatedEvaluators(1, 1, SyntheticPerplexity::of)
                .finish(SearchMachine.start(spec));
        SearchMachine original = SearchMachine.start(spec);
        SimulatedEvaluators evaluators = new SimulatedEvaluators(3, 9, SyntheticPerplexity::of);
        for (int i = 0; i < deliveriesBeforeSnapshot; i++) {
            evaluators.step(original);
        }
        evaluators.fill(original);
        assertTrue(!original.isDone() && !original.outstanding().isEmpty(), "premise: snapshot taken mid-search");
        SearchMachine restored = roundTrip(original);
        assertEquals(original.snapshot(), restored.snapshot());
        assertEquals(original.outstanding(), restored.outstanding());
        assertEquals(original.trace(), restored.trace());
        assertEquals(original.issue(2), restored.issue(2));
        SimulatedEvaluators restarted = new SimulatedEvaluators(2, 4, SyntheticPerplexity::of);
        restarted.adopt(restored.outstanding());
        assertEquals(uninterrupted, restarted.finish(restored));
    }

    @Test
    void greedySearchResumesFromItsJsonSnapshot() throws JsonProcessingException {
        assertResumesIdentically(new LaserRmtGreedySpec(candidates(), LaserRmtGreedySpec.DEFAULT_TYPES, -1, false), 9);
    }

    @Test
    void snrSearchResumesFromItsJsonSnapshot() throws JsonProcessingException {
        List<Candidate> ranked = candidates().stream().filter(c -> !Double.isNaN(c.snr())).toList();
        assertResumesIdentically(new SnrGreedySpec(ranked, 10), 6);
    }

    @Test
    void gridSearchResumesFromItsJsonSnapshot() throws JsonProcessingException {
        List<GridPoint> points = new ArrayList<>();
        for (Candidate candidate : candidates().subList(0, 6)) {
            for (double rho : List.of(0.5, 0.1)) {
                points.add(new GridPoint(new Candidate(candidate.matrix(), candidate.layer(), candidate.module(),
                        (int) (rho * 64), candidate.snr()), rho));
            }
        }
        assertResumesIdentically(LaserGridSpec.withDefaults(points), 5);
    }

    @Test
    void surgicalSearchResumesFromItsJsonSnapshot() throws JsonProcessingException {
        List<Candidate> grid = new ArrayList<>();
        for (Candidate candidate : candidates().reversed().subList(0, 5)) {
            for (int rank : List.of(1, 8, 16, 32)) {
                grid.add(new Candidate(candidate.matrix(), candidate.layer(), candidate.module(), rank, Double.NaN));
            }
        }
        assertResumesIdentically(new SfsdSurgicalSpec(grid, 1.05, 0.2), 7);
    }

    @Test
    void oneShotResumesFromItsJsonSnapshot() throws JsonProcessingException {
        SearchMachine machine = SearchMachine.start(new OneShotSpec(candidates()));
        List<EvaluationRequest> both = machine.issue(2);
        machine.record(new EvaluationResult(both.get(1).id(), SyntheticPerplexity.of(both.get(1))));
        SearchMachine restored = roundTrip(machine);
        assertEquals(List.of(both.getFirst()), restored.outstanding());
        restored.record(new EvaluationResult(both.getFirst().id(), SyntheticPerplexity.of(both.getFirst())));
        assertEquals(SyntheticPerplexity.of(both.get(1)), restored.outcome().finalPerplexity());
    }

    /**
     * The gateway may persist the snapshot less often than results arrive: restoring an older snapshot
     * and replaying every result stored since the search began, in the order received (duplicates,
     * stale results and those already in the snapshot included), gives the current state.
     */
    @Test
    void replayingStoredResultsInArrivalOrderOnAnOlderSnapshotGivesTheCurrentState() throws JsonProcessingException {
        SearchSpec spec = new LaserRmtGreedySpec(candidates(), LaserRmtGreedySpec.DEFAULT_TYPES, -1, false);
        SearchMachine original = SearchMachine.start(spec);
        SimulatedEvaluators evaluators = new SimulatedEvaluators(3, 2, SyntheticPerplexity::of);
        for (int i = 0; i < 8; i++) {
            evaluators.step(original);
        }
        SearchSnapshot early = original.snapshot();
        for (int i = 0; i < 6; i++) {
            evaluators.step(original);
        }
        SearchMachine restored = SearchMachine.restore(JSON.readValue(JSON.writeValueAsString(early),
                SearchSnapshot.class));
        evaluators.delivered().forEach(restored::record);
        assertEquals(original.trace(), restored.trace());
        assertEquals(original.snapshot().results(), restored.snapshot().results());
        assertEquals(original.issue(3), restored.issue(3));
    }

    @Test
    void snapshotJsonHasTheDocumentedShape() throws JsonProcessingException {
        SearchMachine machine = SearchMachine.start(SnrGreedySpec.withDefaults(
                candidates().stream().filter(c -> !Double.isNaN(c.snr())).toList()));
        EvaluationRequest baseline = machine.issue(2).getFirst();
        machine.record(new EvaluationResult(baseline.id(), 21.5));
        JsonNode json = JSON.readTree(JSON.writeValueAsString(machine.snapshot()));
        assertEquals("snr-greedy", json.at("/spec/strategy").asText());
        assertEquals(15, json.at("/spec/count").asInt());
        assertEquals("model.layers.3.down.weight", json.at("/spec/candidates/0/matrix").asText());
        assertEquals(List.of("matrix", "layer", "module", "rank", "snr"),
                iterableToList(json.at("/spec/candidates/0").fieldNames()));
        assertEquals(baseline.id(), json.at("/results/0/requestId").asText());
        assertEquals(21.5, json.at("/results/0/perplexity").asDouble());
        assertEquals(1, json.get("outstanding").size());
        assertEquals("lower-is-better", json.get("direction").asText());
        assertEquals(List.of("spec", "results", "outstanding", "direction"), iterableToList(json.fieldNames()));
    }

    private static List<String> iterableToList(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void requestsAndOutcomesRoundTripThroughJson() throws JsonProcessingException {
        List<GridPoint> points = List.of(new GridPoint(candidates().get(4), 0.25), new GridPoint(candidates().get(5), 1.0));
        SearchOutcome outcome = new SimulatedEvaluators(2, 3, SyntheticPerplexity::of)
                .finish(SearchMachine.start(LaserGridSpec.withDefaults(points)));
        assertEquals(outcome, JSON.readValue(JSON.writeValueAsString(outcome), SearchOutcome.class));
        SearchOutcome greedy = new SimulatedEvaluators(2, 3, SyntheticPerplexity::of).finish(SearchMachine.start(
                new LaserRmtGreedySpec(candidates(), LaserRmtGreedySpec.DEFAULT_TYPES, -1, true)));
        assertEquals(greedy, JSON.readValue(JSON.writeValueAsString(greedy), SearchOutcome.class));
        EvaluationRequest request = SearchMachine.start(LaserGridSpec.withDefaults(points)).issue(2).getLast();
        String json = JSON.writeValueAsString(request);
        assertEquals(request, JSON.readValue(json, EvaluationRequest.class));
        assertEquals("validation", JSON.readTree(json).get("split").asText());
    }

    @Test
    void aSnapshotWhoseResultsBelongToAnotherSearchIsRejected() {
        SearchSpec spec = new OneShotSpec(candidates());
        SearchSnapshot foreign = new SearchSnapshot(spec, List.of(new EvaluationResult("full-1-0123456789abcdef01234567",
                20.0)), List.of());
        SearchParameterException error = assertThrows(SearchParameterException.class,
                () -> SearchMachine.restore(foreign));
        assertTrue(error.getMessage().contains("full-1-0123456789abcdef01234567"), error.getMessage());
        SearchSnapshot unknownOutstanding = new SearchSnapshot(spec, List.of(), List.of("full-9-nothing"));
        assertThrows(SearchParameterException.class, () -> SearchMachine.restore(unknownOutstanding));
    }
}
