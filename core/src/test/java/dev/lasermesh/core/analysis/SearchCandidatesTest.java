package dev.lasermesh.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.GridPoint;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.DType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Candidates, grid points and accepted decisions built from analyses (DESIGN §3.1 worked example). */
class SearchCandidatesTest {

    /** S = 100..1 on 100×400: laserrmt keeps 45 (DESIGN §3.1). */
    private static final MatrixAnalysis ANALYSIS = analysis();

    private static MatrixAnalysis analysis() {
        double[] s = new double[100];
        for (int i = 0; i < 100; i++) {
            s[i] = 100 - i;
        }
        MatrixRef ref = new MatrixRef("model.layers.3.mlp.down_proj.weight", 3, "down", 100, 400, DType.F32);
        return new MatrixAnalysis(ref, Optional.of(SpectrumSummary.of(new SingularSpectrum(s, 100, 400),
                new LaserRmtPolicy())), Optional.of("test"), 0, Optional.empty());
    }

    @Test
    void aCandidateCarriesThePolicysRankAndLaserRmtsSnr() {
        Candidate c = SearchCandidates.of(List.of(ANALYSIS)).getFirst();
        assertEquals(45, c.rank());
        assertEquals(3, c.layer());
        assertEquals("down", c.module());
        assertEquals(2.279221, c.snr(), 5e-7);
    }

    @Test
    void gridPointsTakeLasersFractionOfTheSmallerSide() {
        List<GridPoint> points = SearchCandidates.gridPoints(List.of(ANALYSIS), List.of(0.01, 0.1, 0.5));
        assertEquals(List.of(1, 10, 50), points.stream().map(p -> p.candidate().rank()).toList());
        assertEquals(List.of(0.01, 0.1, 0.5), points.stream().map(GridPoint::rho).toList());
    }

    @Test
    void anAcceptedGridPointIsReportedWithItsFractionDecision() {
        Candidate point = new Candidate(ANALYSIS.matrix().name(), 3, "down", 10, 2.28);
        TraceEntry entry = new TraceEntry(1, "r", point.matrix(), 3, "down", 10, 2.28, 0.1, Split.VALIDATION,
                20.0, 21.0, true);
        SearchOutcome grid = new SearchOutcome("laser-grid", Split.REPORT, 21.0, 20.5, List.of(point), List.of(entry));
        MatrixAnalysis accepted = SearchCandidates.accepted(grid, List.of(ANALYSIS)).getFirst();
        assertEquals("fraction", accepted.summary().orElseThrow().decision().policy());
        assertEquals(10, accepted.summary().orElseThrow().decision().k());

        Candidate own = SearchCandidates.of(List.of(ANALYSIS)).getFirst();
        SearchOutcome greedy = new SearchOutcome("laserrmt-greedy", Split.FULL, 21.0, 20.5, List.of(own), List.of());
        assertSame(ANALYSIS, SearchCandidates.accepted(greedy, List.of(ANALYSIS)).getFirst(),
                "the policy's own decision is kept when the search kept its rank");
    }
}
