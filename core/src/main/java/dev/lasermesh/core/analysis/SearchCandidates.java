package dev.lasermesh.core.analysis;

import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.GridPoint;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The bridge between analysed matrices and the search state machines, shared by the standalone's
 * {@code lasermesh run} and the mesh's gateway so both search over the same candidates and report
 * the same decisions.
 */
public final class SearchCandidates {

    private SearchCandidates() {
    }

    /** One candidate per analysed matrix: the rank its policy decided and laserRMT's SNR. */
    public static List<Candidate> of(List<MatrixAnalysis> analyses) {
        return analyses.stream().map(SearchCandidates::candidate).toList();
    }

    /**
     * LASER's grid: one point per matrix and ρ (matrix-major), the rank being the {@code fraction}
     * policy's ⌊ρ·min(out, in)⌋.
     */
    public static List<GridPoint> gridPoints(List<MatrixAnalysis> analyses, List<Double> rhos) {
        List<GridPoint> points = new ArrayList<>();
        for (MatrixAnalysis a : analyses) {
            SpectrumSummary s = a.summary().orElseThrow();
            Candidate c = candidate(a);
            for (double rho : rhos) {
                int k = new FractionPolicy(rho).decide(s.singularValues(), s.rows(), s.cols()).k();
                points.add(new GridPoint(new Candidate(c.matrix(), c.layer(), c.module(), k, c.snr()), rho));
            }
        }
        return points;
    }

    /**
     * SFSD's surgical grid: for every matrix, in model order (by layer, the selection's order within a
     * layer), one candidate per rank of {@link SfsdSurgicalSpec#gridRanks} for its shape, ascending.
     */
    public static List<Candidate> surgicalGrid(List<MatrixAnalysis> analyses) {
        List<Candidate> grid = new ArrayList<>();
        for (MatrixAnalysis a : analyses.stream().sorted(Comparator.comparingInt(x -> x.matrix().layer())).toList()) {
            SpectrumSummary s = a.summary().orElseThrow();
            Candidate c = candidate(a);
            for (int k : SfsdSurgicalSpec.gridRanks(s.rows(), s.cols())) {
                grid.add(new Candidate(c.matrix(), c.layer(), c.module(), k, c.snr()));
            }
        }
        return grid;
    }

    /**
     * The analyses of a search's accepted matrices, in acceptance order, each with the decision for
     * the rank the search kept: the policy's own when it is that rank, the {@code fraction} decision of
     * the accepted ρ for a grid point, else a {@code fixed} decision (e.g. an {@code sfsd-surgical} grid rank).
     *
     * @throws IllegalArgumentException when an accepted matrix is not among {@code analyses}
     */
    public static List<MatrixAnalysis> accepted(SearchOutcome outcome, List<MatrixAnalysis> analyses) {
        List<MatrixAnalysis> accepted = new ArrayList<>();
        for (Candidate c : outcome.accepted()) {
            MatrixAnalysis a = analyses.stream().filter(x -> x.matrix().name().equals(c.matrix())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("accepted matrix " + c.matrix()
                            + " was not analysed"));
            SpectrumSummary s = a.summary().orElseThrow();
            if (s.decision().k() == c.rank()) {
                accepted.add(a);
                continue;
            }
            Optional<Double> rho = outcome.trace().stream()
                    .filter(e -> e.accepted() && e.matrix().equals(c.matrix()) && e.rho() != null)
                    .map(TraceEntry::rho).findFirst();
            RankPolicy policy = rho.<RankPolicy>map(FractionPolicy::new).orElse(new FixedRankPolicy(c.rank()));
            SpectrumSummary decided = SpectrumSummary.of(
                    new SingularSpectrum(s.singularValues(), s.rows(), s.cols()), policy);
            accepted.add(new MatrixAnalysis(a.matrix(), Optional.of(decided), a.method(), a.seconds(),
                    Optional.empty()));
        }
        return accepted;
    }

    private static Candidate candidate(MatrixAnalysis a) {
        SpectrumSummary s = a.summary().orElseThrow();
        return new Candidate(a.matrix().name(), a.matrix().layer(), a.matrix().module(),
                s.decision().k(), s.snr());
    }
}
