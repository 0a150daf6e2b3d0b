package dev.lasermesh.contracts.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.OneShotSpec;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.SnrGreedySpec;
import java.util.List;

/**
 * The search strategy of a job and its parameters (DESIGN §3.3), as a user writes it: the candidates
 * come later, from the analysis. In JSON the strategy is named by the {@code "strategy"} property, as
 * in core's {@code SearchSpec}: {@code {"strategy":"snr-greedy","count":15}}. Parameters left out
 * (null) are filled in by {@link JobSpecValidator} with core's defaults.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "strategy")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StrategySpec.OneShot.class, name = OneShotSpec.NAME),
        @JsonSubTypes.Type(value = StrategySpec.LaserRmtGreedy.class, name = LaserRmtGreedySpec.NAME),
        @JsonSubTypes.Type(value = StrategySpec.SnrGreedy.class, name = SnrGreedySpec.NAME),
        @JsonSubTypes.Type(value = StrategySpec.LaserGrid.class, name = LaserGridSpec.NAME),
        @JsonSubTypes.Type(value = StrategySpec.SfsdSurgical.class, name = SfsdSurgicalSpec.NAME)})
public sealed interface StrategySpec {

    /** The strategy name, as in JSON. */
    String name();

    /** Whether the strategy compares perplexities, so needs an evaluation. */
    default boolean searches() {
        return true;
    }

    /**
     * The share of the windows the search chooses on, for a strategy that reports on the others
     * ({@code laser-grid}, {@code sfsd-surgical}); null for one that chooses and reports on all windows.
     */
    default Double validationFraction() {
        return null;
    }

    /** Apply the policy to every selected matrix; evaluate once, if an evaluation is given. */
    record OneShot() implements StrategySpec {

        @Override
        public String name() {
            return OneShotSpec.NAME;
        }

        @Override
        public boolean searches() {
            return false;
        }
    }

    /**
     * laserRMT's greedy backward scan.
     *
     * @param maxAccepted stop after this many acceptances, ≥ 0, or −1 for no cap; default 5
     * @param acceptTies  false (default): accept iff ppl &lt; best (strict, laserRMT's rule);
     *                    true: accept iff ppl ≤ best
     * @param types       module types in scan order within a layer; default down, up, q, k, v, o
     */
    record LaserRmtGreedy(Integer maxAccepted, Boolean acceptTies, List<String> types) implements StrategySpec {

        @Override
        public String name() {
            return LaserRmtGreedySpec.NAME;
        }
    }

    /**
     * laserRMT's SNR-ranked greedy search.
     *
     * @param count how many of the lowest-SNR matrices to try, ≥ 1; default 15
     */
    record SnrGreedy(Integer count) implements StrategySpec {

        @Override
        public String name() {
            return SnrGreedySpec.NAME;
        }
    }

    /**
     * LASER's grid: every selected (layer, module) × every ρ evaluated alone against the base model,
     * chosen on the first {@code validationFraction} of the windows and reported on the rest. The
     * rank of a point is ⌊ρ·min(out, in)⌋, at least 1, so the job takes no {@code policy}.
     *
     * @param rhos               the fractions of the maximum rank kept, each in (0, 1], distinct;
     *                           default LASER's grid 0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.01, 0.005
     * @param validationFraction the share of windows used to choose, in (0, 1); default 0.2
     */
    record LaserGrid(List<Double> rhos, Double validationFraction) implements StrategySpec {

        /** LASER's ρ grid ({@code --rate} 1, 2, 4, 6, 8, 9, 9.5, 9.9, 9.95 as ρ = 1 − rate/10). */
        public static final List<Double> DEFAULT_RHOS = List.of(0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.01, 0.005);

        @Override
        public String name() {
            return LaserGridSpec.NAME;
        }
    }

    /**
     * SFSD-LLM's surgical rank search (DESIGN §7.4): the matrices from the last to the first, each keeping
     * the smallest rank of its grid {1} ∪ {⌊f·r_max⌋ : f = 0.1…1.0} (r_max the break-even rank) whose
     * perplexity on the first {@code validationFraction} of the windows, with the later matrices' decisions
     * applied, stays within base·tolerance^(N − i) (matrix i of N, 0-based from the first), else dense;
     * reported on the other windows. The
     * ranks come from the grid; the policy only decides the analyses' SNR and the spectrum shown.
     *
     * @param tolerance          the perplexity allowance per reduced matrix, at least 1; default 1.005 (SFSD's)
     * @param validationFraction the share of windows used to choose, in (0, 1); default 0.2
     */
    record SfsdSurgical(Double tolerance, Double validationFraction) implements StrategySpec {

        @Override
        public String name() {
            return SfsdSurgicalSpec.NAME;
        }
    }
}
