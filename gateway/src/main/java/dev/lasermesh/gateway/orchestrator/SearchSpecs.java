package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.job.StrategySpec;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.SearchCandidates;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.OneShotSpec;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchMachine;
import dev.lasermesh.core.search.SearchParameterException;
import dev.lasermesh.core.search.SearchSpec;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.SnrGreedySpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Core's search specification of a job, built from its strategy and the analysed matrices exactly as
 * the standalone's {@code lasermesh run} builds it: one candidate per analysed matrix, in catalogue
 * order, with the rank the policy decided and laserRMT's SNR; for {@code laser-grid} one point per
 * matrix and ρ (matrix-major), the rank being the {@code fraction} policy's ⌊ρ·min(out, in)⌋; for
 * {@code sfsd-surgical} every rank of each matrix's grid (core's {@link SearchCandidates#surgicalGrid}).
 */
public final class SearchSpecs {

    private SearchSpecs() {
    }

    /**
     * The search over {@code analyses} (each analysed successfully).
     *
     * @throws SearchParameterException when the candidates do not suit the strategy (e.g. none of the
     *                                  greedy scan's types was analysed)
     */
    public static SearchSpec of(StrategySpec strategy, List<MatrixAnalysis> analyses) {
        List<Candidate> candidates = SearchCandidates.of(analyses);
        return switch (strategy) {
            case StrategySpec.OneShot oneShot -> new OneShotSpec(candidates);
            case StrategySpec.LaserRmtGreedy g -> new LaserRmtGreedySpec(candidates, g.types(), g.maxAccepted(),
                    g.acceptTies());
            case StrategySpec.SnrGreedy s -> new SnrGreedySpec(candidates, s.count());
            case StrategySpec.LaserGrid grid -> new LaserGridSpec(SearchCandidates.gridPoints(analyses, grid.rhos()),
                    grid.validationFraction());
            case StrategySpec.SfsdSurgical surgical -> new SfsdSurgicalSpec(SearchCandidates.surgicalGrid(analyses),
                    surgical.tolerance(), surgical.validationFraction());
        };
    }

    /**
     * Every (matrix, rank) the search may ever evaluate: the replacements of the requests a fresh
     * machine wants at its start. A greedy scan tests each candidate on top of accepted ones, all
     * among its candidates; a grid's report request repeats one of its points; so reducing these up
     * front gives every state the search can reach, and lets all reducers work at once. The surgical
     * search probes a matrix's grid only once the later matrices are decided, so its whole grid is
     * added: the reducers work ahead while the evaluators probe.
     */
    public static List<Replacement> replacementsToReduce(SearchSpec spec) {
        Set<Replacement> needed = new LinkedHashSet<>();
        for (EvaluationRequest request : SearchMachine.start(spec).issue(Integer.MAX_VALUE)) {
            needed.addAll(request.replacements());
        }
        if (spec instanceof SfsdSurgicalSpec surgical) {
            surgical.candidates().forEach(c -> needed.add(c.replacement()));
        }
        return new ArrayList<>(needed);
    }
}
