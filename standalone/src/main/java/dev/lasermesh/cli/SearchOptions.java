package dev.lasermesh.cli;

import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.SearchCandidates;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.OneShotSpec;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SearchSpec;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.SnrGreedySpec;
import java.util.List;
import picocli.CommandLine.Option;

/** The search strategy of {@code run} and its parameters (DESIGN §3.3). */
public final class SearchOptions {

    @Option(names = "--strategy", paramLabel = "NAME", defaultValue = LaserRmtGreedySpec.NAME,
            converter = OptionValues.Strategy.class,
            description = "laserrmt-greedy, snr-greedy, laser-grid, one-shot or sfsd-surgical (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--max-accepted", paramLabel = "N", defaultValue = "5", converter = OptionValues.CapOrNone.class,
            description = "laserrmt-greedy: stop after this many accepted matrices; -1 = no cap (default: ${DEFAULT-VALUE}).")
    int maxAccepted;

    @Option(names = "--accept-ties", description = "laserrmt-greedy: accept when perplexity is equal too (<= instead of <).")
    boolean acceptTies;

    @Option(names = "--count", paramLabel = "COUNT", defaultValue = "15", converter = OptionValues.PositiveInt.class,
            description = "snr-greedy: evaluate the COUNT lowest-SNR matrices (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rho", split = ",", paramLabel = "R", converter = OptionValues.RankFraction.class,
            description = "laser-grid: rank fractions to try for every selected matrix (default: 0.01,0.1,0.5).")
    List<Double> rho = List.of(0.01, 0.1, 0.5);

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.2",
            converter = OptionValues.OpenFraction.class,
            description = "laser-grid, sfsd-surgical: the first part of the windows that chooses; the rest reports "
                    + "(default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "1.005", converter = OptionValues.Tolerance.class,
            description = "sfsd-surgical: perplexity allowance per reduced matrix; matrix i of N (from the first) may "
                    + "reach base·T^(N−i) (default: ${DEFAULT-VALUE}, SFSD's).")
    double tolerance;

    /**
     * The selection with the strategy's default modules: the greedy scan visits only the modules of
     * the family's search order (laserRMT's never touches gate_proj, rmt_laser.py), so the others need
     * not be analysed.
     */
    SelectionOptions selectionDefaults(SelectionOptions selection, List<String> searchOrder) {
        if (LaserRmtGreedySpec.NAME.equals(strategy) && selection.modules == null && selection.names == null) {
            selection.modules = String.join(",", searchOrder);
        }
        return selection;
    }

    /** The spec of the chosen strategy over the analysed matrices; the greedy scan goes in the family's search order. */
    SearchSpec spec(List<MatrixAnalysis> analyses, List<String> searchOrder) {
        List<Candidate> candidates = SearchCandidates.of(analyses);
        return switch (strategy) {
            case LaserRmtGreedySpec.NAME -> new LaserRmtGreedySpec(candidates, searchOrder, maxAccepted, acceptTies);
            case SnrGreedySpec.NAME -> new SnrGreedySpec(candidates, count);
            case OneShotSpec.NAME -> new OneShotSpec(candidates);
            case LaserGridSpec.NAME -> new LaserGridSpec(SearchCandidates.gridPoints(analyses, rho), validationFraction);
            case SfsdSurgicalSpec.NAME ->
                    new SfsdSurgicalSpec(SearchCandidates.surgicalGrid(analyses), tolerance, validationFraction);
            default -> throw new IllegalStateException("--strategy " + strategy + " passed its converter");
        };
    }

    /** How many evaluations the search will run at most, for the progress bar. */
    long expectedEvaluations(List<MatrixAnalysis> analyses) {
        return switch (strategy) {
            case SnrGreedySpec.NAME -> Math.min(count, analyses.size()) + 1;
            case OneShotSpec.NAME -> 2;
            case LaserGridSpec.NAME -> (long) analyses.size() * rho.size() + 3;
            case SfsdSurgicalSpec.NAME -> SearchCandidates.surgicalGrid(analyses).size() + 3L;
            default -> analyses.size() + 1;
        };
    }

    /** The analyses of the accepted matrices, with the decision for the rank the search kept. */
    List<MatrixAnalysis> acceptedAnalyses(SearchOutcome outcome, List<MatrixAnalysis> analyses) {
        return SearchCandidates.accepted(outcome, analyses);
    }
}
