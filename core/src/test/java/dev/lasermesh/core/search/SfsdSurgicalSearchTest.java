package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code sfsd-surgical} (DESIGN §7.4): the decisions are checked against the rule recomputed here
 * from the recorded perplexities (bound base·tolerance^(N − i), smallest passing rank of the grid,
 * matrices from the last to the first), for any number of evaluators and any arrival order.
 */
class SfsdSurgicalSearchTest {

    private static final List<String> TYPES = List.of("q", "k", "v", "o", "gate", "up", "down");

    /** Three layers × seven matrices, each with the grid of a 256 × 256 matrix, in model order. */
    private static List<Candidate> grid() {
        List<Candidate> grid = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            for (String type : TYPES) {
                for (int rank : SfsdSurgicalSpec.gridRanks(256, 256)) {
                    grid.add(new Candidate("model.layers." + layer + "." + type + ".weight", layer, type, rank,
                            Double.NaN));
                }
            }
        }
        return grid;
    }

    /**
     * {@link SyntheticPerplexity} plus a rank penalty per replaced matrix, by matrix one of 0, 0.25/rank,
     * 8/rank and 3 (more than the whole allowance, base·(1.005²¹ − 1) ≈ 1.8): low ranks hurt some
     * matrices a lot, so the grid position chosen varies, and some matrices must stay dense.
     */
    private static double rankAware(EvaluationRequest request) {
        double perplexity = SyntheticPerplexity.of(request);
        for (Replacement r : request.replacements()) {
            perplexity += switch (Math.floorMod(r.matrix().hashCode(), 4)) {
                case 0 -> 0.0;
                case 1 -> 0.25 / r.rank();
                case 2 -> 8.0 / r.rank();
                default -> 3.0;
            };
        }
        return perplexity;
    }

    @Test
    void gridIsOneAndTenthsOfTheBreakEvenRank() {
        // r_max = ⌊256·256/512⌋ = 128; ⌊0.1·128⌋ = 12, ⌊0.3·128⌋ = 38, ⌊0.7·128⌋ = 89, ...
        assertEquals(List.of(1, 12, 25, 38, 51, 64, 76, 89, 102, 115, 128), SfsdSurgicalSpec.gridRanks(256, 256));
        // r_max = ⌊128·256/384⌋ = 85
        assertEquals(List.of(1, 8, 17, 25, 34, 42, 51, 59, 68, 76, 85), SfsdSurgicalSpec.gridRanks(128, 256));
        // r_max = ⌊704·256/960⌋ = 187
        assertEquals(List.of(1, 18, 37, 56, 74, 93, 112, 130, 149, 168, 187), SfsdSurgicalSpec.gridRanks(704, 256));
        // r_max = ⌊3·5/8⌋ = 1: every tenth floors to 0 or 1
        assertEquals(List.of(1), SfsdSurgicalSpec.gridRanks(3, 5));
    }

    @Test
    void decisionsFollowTheToleranceRuleForAnyParallelism() {
        SfsdSurgicalSpec spec = new SfsdSurgicalSpec(grid(), 1.005, 0.2);
        SearchOutcome sequential = new SimulatedEvaluators(1, 3, SfsdSurgicalSearchTest::rankAware)
                .finish(SearchMachine.start(spec));
        assertFollowsTheRule(spec, sequential, SfsdSurgicalSearchTest::rankAware);
        int reduced = sequential.accepted().size();
        assertTrue(reduced > 0 && reduced < 21
                && sequential.accepted().stream().anyMatch(c -> c.rank() > 1), "premise: some matrices reduced, some beyond rank 1, some kept dense; got " + sequential.accepted());
        for (int evaluators : List.of(4, 16)) {
            for (long seed = 0; seed < 5; seed++) {
                SimulatedEvaluators simulated = new SimulatedEvaluators(evaluators, seed,
                        SfsdSurgicalSearchTest::rankAware);
                assertEquals(sequential, simulated.finish(SearchMachine.start(spec)),
                        evaluators + " evaluators, seed " + seed);
            }
        }
    }

    @Test
    void theGridOfOneMatrixIsProbedAtOnceWithBothBaselines() {
        List<Candidate> grid = grid();
        SearchMachine machine = SearchMachine.start(SfsdSurgicalSpec.withDefaults(grid));
        List<EvaluationRequest> first = machine.issue(100);
        List<Candidate> last = grid.subList(grid.size() - 11, grid.size());
        assertEquals(11 + 2, first.size());
        assertEquals(new EvaluationRequest(first.getFirst().id(), Split.VALIDATION, 0.2, List.of()), first.getFirst());
        for (int g = 0; g < last.size(); g++) {
            assertEquals(Split.VALIDATION, first.get(g + 1).split());
            assertEquals(List.of(last.get(g).replacement()), first.get(g + 1).replacements(),
                    "the last matrix first, its grid ascending");
        }
        assertEquals(Split.REPORT, first.getLast().split());
        assertEquals(List.of(), first.getLast().replacements());
    }

    @Test
    void reportsBaseAndFinalStateOnTheWindowsNotSearched() {
        SfsdSurgicalSpec spec = new SfsdSurgicalSpec(grid(), 1.005, 0.2);
        SearchOutcome outcome = new SimulatedEvaluators(3, 1, SyntheticPerplexity::of)
                .finish(SearchMachine.start(spec));
        assertTrue(!outcome.accepted().isEmpty(), "premise: some matrix is reduced");
        assertEquals(Split.REPORT, outcome.split());
        assertEquals(SyntheticPerplexity.of(new EvaluationRequest("b", Split.REPORT, 0.2, List.of())),
                outcome.baselinePerplexity());
        assertEquals(SyntheticPerplexity.of(new EvaluationRequest("f", Split.REPORT, 0.2,
                outcome.accepted().stream().map(Candidate::replacement).toList())), outcome.finalPerplexity());
    }

    @Test
    void aToleranceOfOneKeepsOnlyReductionsThatDoNotHurt() {
        SfsdSurgicalSpec spec = new SfsdSurgicalSpec(grid(), 1.0, 0.5);
        SearchOutcome outcome = new SimulatedEvaluators(5, 2, SyntheticPerplexity::of).finish(SearchMachine.start(spec));
        assertFollowsTheRule(spec, outcome, SyntheticPerplexity::of);
        double base = SyntheticPerplexity.of(new EvaluationRequest("b", Split.VALIDATION, 0.5, List.of()));
        outcome.trace().stream().filter(TraceEntry::accepted).forEach(e -> assertTrue(e.perplexity() <= base));
    }

    @Test
    void badParametersAreRefusedByName() {
        List<Candidate> grid = grid();
        assertTrue(assertThrows(SearchParameterException.class, () -> new SfsdSurgicalSpec(grid, 0.99, 0.2))
                .getMessage().contains("tolerance"));
        assertTrue(assertThrows(SearchParameterException.class, () -> new SfsdSurgicalSpec(grid, 1.005, 1.0))
                .getMessage().contains("validationFraction"));
        List<Candidate> descending = new ArrayList<>(grid.subList(0, 11).reversed());
        assertTrue(assertThrows(SearchParameterException.class, () -> SfsdSurgicalSpec.withDefaults(descending))
                .getMessage().contains("strictly ascending"));
        List<Candidate> split = new ArrayList<>(grid.subList(0, 22));
        split.add(grid.getFirst());
        assertTrue(assertThrows(SearchParameterException.class, () -> SfsdSurgicalSpec.withDefaults(split))
                .getMessage().contains("contiguous"));
        assertThrows(SearchParameterException.class,
                () -> SearchMachine.start(SfsdSurgicalSpec.withDefaults(grid), MetricDirection.HIGHER_IS_BETTER));
    }

    /**
     * The rule, recomputed from the trace: the matrices appear from the last to the first; matrix i
     * (0-based in model order) of N has bound base·tolerance^(N − i); its entries are its grid ranks
     * from the smallest, all above the bound but the last, which is accepted iff within it; a matrix
     * with no rank within the bound shows its whole grid rejected. Each perplexity is the one of the
     * state (accepted so far + this rank) on the search split.
     */
    static void assertFollowsTheRule(SfsdSurgicalSpec spec, SearchOutcome outcome,
                                     ToDoubleFunction<EvaluationRequest> oracle) {
        Map<String, List<Candidate>> byMatrix = new LinkedHashMap<>();
        spec.candidates().forEach(c -> byMatrix.computeIfAbsent(c.matrix(), m -> new ArrayList<>()).add(c));
        List<String> matrices = List.copyOf(byMatrix.keySet());
        int n = matrices.size();
        double base = oracle.applyAsDouble(new EvaluationRequest("b", Split.VALIDATION, spec.validationFraction(),
                List.of()));
        List<Replacement> state = new ArrayList<>();
        List<Candidate> accepted = new ArrayList<>();
        int entry = 0;
        for (int i = n - 1; i >= 0; i--) {
            double bound = base * Math.pow(spec.tolerance(), n - i);
            List<Candidate> ranks = byMatrix.get(matrices.get(i));
            boolean decided = false;
            for (int g = 0; g < ranks.size() && !decided; g++) {
                TraceEntry e = outcome.trace().get(entry++);
                assertEquals(matrices.get(i), e.matrix());
                assertEquals(ranks.get(g).rank(), e.rank(), "grid ranks ascending");
                List<Replacement> probe = new ArrayList<>(state);
                probe.add(ranks.get(g).replacement());
                double perplexity = oracle.applyAsDouble(new EvaluationRequest("p", Split.VALIDATION,
                        spec.validationFraction(), probe));
                assertEquals(perplexity, e.perplexity());
                assertEquals(bound, e.comparedWith(), 1e-12 * bound);
                assertEquals(perplexity <= bound, e.accepted(), e.matrix() + " rank " + e.rank());
                if (e.accepted()) {
                    state.add(ranks.get(g).replacement());
                    accepted.add(ranks.get(g));
                    decided = true;
                }
            }
        }
        assertEquals(outcome.trace().size(), entry, "no entry beyond the rule's");
        assertEquals(accepted, outcome.accepted());
    }
}
