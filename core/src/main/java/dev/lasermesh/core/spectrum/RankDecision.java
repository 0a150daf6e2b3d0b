package dev.lasermesh.core.spectrum;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rank a {@link RankPolicy} chose for one matrix, with everything needed to explain and
 * re-check it: DESIGN §3.1 asks that every decision records its policy, inputs and threshold.
 *
 * <p>Serialised by Jackson as
 * <pre>
 * {"policy":"laserrmt","rows":256,"cols":704,"maxRank":256,
 *  "inputs":{"q25":0.263,"q75":0.773,"sigma":0.378,"beta":0.364},
 *  "threshold":0.606,"k":89,"note":"heuristic, not the MP noise edge; ..."}
 * </pre>
 * The keys of {@code inputs} are listed per policy in {@link RankPolicy}; their order is stable.
 *
 * @param policy    the policy name as given to the CLI ({@code laserrmt}, {@code mp-edge}, ...)
 * @param rows      rows of the matrix
 * @param cols      columns of the matrix
 * @param maxRank   m = min(rows, cols)
 * @param inputs    the numbers the decision was computed from (estimated noise level, quantiles,
 *                  the policy's parameter, ...), in a stable order
 * @param threshold the singular value threshold (k = #{S &gt; threshold}); {@code null} for the
 *                  policies that choose k without one (fraction, energy, fixed, params)
 * @param k         the chosen rank, 0 ≤ k ≤ maxRank (0 only from a threshold above every S)
 * @param note      one line for reports: what the rule is and any caveat
 */
public record RankDecision(String policy, int rows, int cols, int maxRank, Map<String, Double> inputs,
                           Double threshold, int k, String note) {

    public RankDecision {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(note, "note");
        if (k < 0 || k > maxRank) {
            throw new IllegalArgumentException("rank " + k + " outside [0, " + maxRank + "] for policy " + policy);
        }
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }
}
