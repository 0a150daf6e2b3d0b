package dev.lasermesh.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code laser-grid}: chosen on the validation split, reported on the rest (LASER's protocol). The
 * oracle makes the validation winner differ from the point that would be best on the report split,
 * so choosing or reporting on the wrong split shows.
 */
class LaserGridSearchTest {

    private static final double BASE_VALIDATION = 20.0;
    private static final double BASE_REPORT = 21.0;
    private static final double OTHER_VALIDATION = 20.5;
    private static final double OTHER_REPORT = 20.6;

    private static List<GridPoint> grid() {
        List<GridPoint> points = new ArrayList<>();
        for (int layer = 2; layer >= 0; layer--) {
            for (String type : List.of("down", "q")) {
                for (double rho : List.of(0.5, 0.25, 0.1)) {
                    String name = "model.layers." + layer + "." + type + ".weight";
                    points.add(new GridPoint(new Candidate(name, layer, type, Math.max(1, (int) (rho * 64)), Double.NaN),
                            rho));
                }
            }
        }
        return points;
    }

    private static GridPoint point(List<GridPoint> grid, int layer, String type, double rho) {
        return grid.stream().filter(p -> p.candidate().layer() == layer && p.candidate().module().equals(type)
                && p.rho() == rho).findFirst().orElseThrow();
    }

    /** Perplexities by split and state; points not listed get the "other" values. */
    private record Oracle(Map<Replacement, Double> validation, Map<Replacement, Double> report) {

        double of(EvaluationRequest request) {
            if (request.replacements().isEmpty()) {
                return request.split() == Split.VALIDATION ? BASE_VALIDATION : BASE_REPORT;
            }
            assertEquals(1, request.replacements().size(), "a grid point is applied alone to the base model");
            Replacement replaced = request.replacements().getFirst();
            return request.split() == Split.VALIDATION ? validation.getOrDefault(replaced, OTHER_VALIDATION)
                    : report.getOrDefault(replaced, OTHER_REPORT);
        }
    }

    @Test
    void choosesOnTheValidationSplitAndReportsOnTheRest() {
        List<GridPoint> grid = grid();
        GridPoint validationBest = point(grid, 1, "q", 0.25);
        GridPoint reportBest = point(grid, 0, "down", 0.1);
        Oracle oracle = new Oracle(
                Map.of(validationBest.candidate().replacement(), 19.5, reportBest.candidate().replacement(), 19.75),
                Map.of(validationBest.candidate().replacement(), 20.9, reportBest.candidate().replacement(), 20.0));
        SearchMachine machine = SearchMachine.start(LaserGridSpec.withDefaults(grid));

        List<EvaluationRequest> firstWave = machine.issue(100);
        assertEquals(grid.size() + 2, firstWave.size(), "base model and every point at once, plus the base report");
        assertEquals(Split.VALIDATION, firstWave.getFirst().split());
        assertEquals(List.of(), firstWave.getFirst().replacements());
        for (int i = 0; i < grid.size(); i++) {
            assertEquals(Split.VALIDATION, firstWave.get(i + 1).split());
            assertEquals(List.of(grid.get(i).candidate().replacement()), firstWave.get(i + 1).replacements());
            assertEquals(0.2, firstWave.get(i + 1).validationFraction());
        }
        assertEquals(Split.REPORT, firstWave.getLast().split());
        assertEquals(List.of(), firstWave.getLast().replacements());

        for (EvaluationRequest request : firstWave.subList(0, firstWave.size() - 1)) {
            assertEquals(List.of(), machine.issue(100), "no report evaluation of a point before the choice");
            machine.record(new EvaluationResult(request.id(), oracle.of(request)));
        }
        List<EvaluationRequest> report = machine.issue(100);
        assertEquals(1, report.size());
        assertEquals(Split.REPORT, report.getFirst().split());
        assertEquals(List.of(validationBest.candidate().replacement()), report.getFirst().replacements());
        machine.record(new EvaluationResult(report.getFirst().id(), oracle.of(report.getFirst())));
        assertFalse(machine.isDone(), "the base model's report evaluation is still missing");
        machine.record(new EvaluationResult(firstWave.getLast().id(), oracle.of(firstWave.getLast())));

        SearchOutcome outcome = machine.outcome();
        assertEquals(List.of(validationBest.candidate()), outcome.accepted());
        assertEquals(20.9, outcome.finalPerplexity());
        assertEquals(BASE_REPORT, outcome.baselinePerplexity());
        assertEquals(Split.REPORT, outcome.split());
        assertEquals(grid.size(), outcome.trace().size());
        for (int i = 0; i < grid.size(); i++) {
            TraceEntry entry = outcome.trace().get(i);
            assertEquals(i + 1, entry.order());
            assertEquals(grid.get(i).rho(), entry.rho());
            assertEquals(Split.VALIDATION, entry.split());
            assertEquals(BASE_VALIDATION, entry.comparedWith());
            assertEquals(grid.get(i).equals(validationBest), entry.accepted());
        }
    }

    @Test
    void equalValidationPerplexitiesGoToTheFirstPointInGridOrder() {
        List<GridPoint> grid = grid();
        GridPoint earlier = point(grid, 2, "q", 0.1);
        GridPoint later = point(grid, 0, "down", 0.5);
        Oracle oracle = new Oracle(
                Map.of(later.candidate().replacement(), 19.5, earlier.candidate().replacement(), 19.5), Map.of());
        SearchOutcome outcome = new SimulatedEvaluators(3, 1, oracle::of)
                .finish(SearchMachine.start(LaserGridSpec.withDefaults(grid)));
        assertEquals(List.of(earlier.candidate()), outcome.accepted());
        assertEquals(OTHER_REPORT, outcome.finalPerplexity());
    }

    @Test
    void theBaseModelIsKeptWhenNoPointIsStrictlyBetterOnValidation() {
        List<GridPoint> grid = grid();
        Oracle oracle = new Oracle(Map.of(point(grid, 1, "down", 0.5).candidate().replacement(), BASE_VALIDATION),
                Map.of());
        SearchMachine machine = SearchMachine.start(LaserGridSpec.withDefaults(grid));
        int issued = 0;
        while (!machine.isDone()) {
            List<EvaluationRequest> requests = machine.issue(4);
            issued += requests.size();
            for (EvaluationRequest request : requests) {
                machine.record(new EvaluationResult(request.id(), oracle.of(request)));
            }
        }
        assertEquals(grid.size() + 2, issued, "no report evaluation for a point");
        assertEquals(List.of(), machine.outcome().accepted());
        assertEquals(BASE_REPORT, machine.outcome().finalPerplexity());
        assertEquals(BASE_REPORT, machine.outcome().baselinePerplexity());
        assertTrue(machine.outcome().trace().stream().noneMatch(TraceEntry::accepted));
    }

    @Test
    void shuffledParallelDeliveryGivesTheSequentialOutcome() {
        List<GridPoint> grid = grid();
        Map<Replacement, Double> validation = new HashMap<>();
        Map<Replacement, Double> report = new HashMap<>();
        for (int i = 0; i < grid.size(); i++) {
            validation.put(grid.get(i).candidate().replacement(), 19.0 + (i * 7 % 11) / 8.0);
            report.put(grid.get(i).candidate().replacement(), 20.0 + (i * 5 % 13) / 8.0);
        }
        Oracle oracle = new Oracle(validation, report);
        SearchOutcome sequential = new SimulatedEvaluators(1, 1, oracle::of)
                .finish(SearchMachine.start(LaserGridSpec.withDefaults(grid)));
        for (long seed = 1; seed <= 4; seed++) {
            assertEquals(sequential, new SimulatedEvaluators(8, seed, oracle::of)
                    .finish(SearchMachine.start(LaserGridSpec.withDefaults(grid))), "seed " + seed);
        }
    }

    @Test
    void splitsCutTheWindowsLikeLasersValidate() {
        SearchMachine machine = SearchMachine.start(LaserGridSpec.withDefaults(grid()));
        List<EvaluationRequest> requests = machine.issue(100);
        EvaluationRequest validation = requests.getFirst();
        EvaluationRequest report = requests.getLast();
        assertEquals(0, validation.firstWindow(64));
        assertEquals(12, validation.endWindow(64), "int(0.2 * 64) = 12");
        assertEquals(12, report.firstWindow(64));
        assertEquals(64, report.endWindow(64));
        assertEquals(2, validation.endWindow(10));
        EvaluationRequest full = EvaluationRequest.of(Split.FULL, 0.0, List.of());
        assertEquals(0, full.firstWindow(64));
        assertEquals(64, full.endWindow(64));
    }
}
