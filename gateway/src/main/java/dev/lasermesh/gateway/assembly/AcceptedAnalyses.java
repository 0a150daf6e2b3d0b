package dev.lasermesh.gateway.assembly;

import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.FractionPolicy;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The analyses of a search's accepted matrices, as the report of a search lists them: each with the
 * decision for the rank the search kept — the policy's own when it is that rank, the {@code fraction}
 * decision of the accepted ρ for a {@code laser-grid} point, else a {@code fixed} decision. The
 * standalone's {@code lasermesh run} reports the same (its {@code SearchOptions.acceptedAnalyses}).
 */
public final class AcceptedAnalyses {

    private AcceptedAnalyses() {
    }

    /** The accepted matrices' analyses, in acceptance order. */
    public static List<MatrixAnalysis> of(SearchOutcome outcome, List<MatrixAnalysis> analyses) {
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
            SpectrumSummary decided = SpectrumSummary.of(new SingularSpectrum(s.singularValues(), s.rows(), s.cols()),
                    policy);
            accepted.add(new MatrixAnalysis(a.matrix(), Optional.of(decided), a.method(), a.seconds(), Optional.empty()));
        }
        return accepted;
    }
}
