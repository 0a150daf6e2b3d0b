package dev.lasermesh.core.spectrum;

/**
 * A rule that chooses how many singular triplets of a matrix to keep (DESIGN §3.1). One small
 * record per rule; {@link RankPolicySpec} builds one from a policy name and parameters.
 *
 * <p>Inputs recorded in {@link RankDecision#inputs()}, per policy:
 * <ul>
 *   <li>{@code laserrmt}: q25, q75, sigma, beta</li>
 *   <li>{@code mp-edge}: median, mpMedian, sigma, beta</li>
 *   <li>{@code gavish-donoho}: median, mpMedian, lambdaStar, omega, beta</li>
 *   <li>{@code fraction}: fraction</li>
 *   <li>{@code energy}: energy, energyKept</li>
 *   <li>{@code fixed}: rank (as requested, before clamping)</li>
 *   <li>{@code params}: paramsRatio, breakEvenRank</li>
 * </ul>
 */
public sealed interface RankPolicy permits LaserRmtPolicy, MpEdgePolicy, GavishDonohoPolicy, FractionPolicy,
        EnergyPolicy, FixedRankPolicy, ParamsRatioPolicy {

    /** The policy name as the CLI and job spec spell it. */
    String name();

    /** Chooses the rank for a matrix with this spectrum. */
    RankDecision decide(SingularSpectrum spectrum);

    /**
     * Chooses the rank for a rows × cols matrix from its min(rows, cols) singular values.
     *
     * @throws IllegalArgumentException when the values are not finite, non-negative, descending and
     *                                  exactly min(rows, cols) many
     */
    default RankDecision decide(double[] singularValuesDescending, int rows, int cols) {
        return decide(new SingularSpectrum(singularValuesDescending, rows, cols));
    }
}
