package dev.lasermesh.core.spectrum;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the analyzer reports for one matrix: its spectrum, the rank decision and the statistics the
 * search strategies and the dashboard use.
 *
 * <p>{@code snr} and {@code snrOverSmax} are always laserRMT's SNR at laserRMT's threshold
 * (whatever policy made the decision), because that is the number the {@code snr-greedy} search ranks
 * by and Spectrum publishes. {@code energyKept} and {@code frobeniusErrorAtK} describe the decision's
 * rank k. Infinite values (SNR of a spectrum with zero noise sum, condition number of a singular
 * matrix) are written by Jackson as the JSON string {@code "Infinity"} and read back as +∞.
 *
 * @param rows              rows of the matrix
 * @param cols              columns of the matrix
 * @param singularValues    all min(rows, cols) singular values, descending
 * @param decision          the rank decision
 * @param snr               ΣS[S &gt; t] / ΣS[S ≤ t] with t the laserRMT threshold
 * @param snrOverSmax       snr / S[0], Spectrum's score
 * @param conditionNumber   S[0] / S[m−1]
 * @param frobeniusNorm     √ΣS²
 * @param energyKept        Σ_{i&lt;k} S² / ΣS²
 * @param frobeniusErrorAtK √Σ_{i≥k} S²
 */
public record SpectrumSummary(int rows, int cols, double[] singularValues, RankDecision decision, double snr,
                              double snrOverSmax, double conditionNumber, double frobeniusNorm,
                              double energyKept, double frobeniusErrorAtK) {

    public SpectrumSummary {
        Objects.requireNonNull(decision, "decision");
        singularValues = singularValues.clone();
    }

    /** Applies {@code policy} to {@code spectrum} and computes the statistics. */
    public static SpectrumSummary of(SingularSpectrum spectrum, RankPolicy policy) {
        double[] s = spectrum.values();
        RankDecision decision = policy.decide(spectrum);
        double snr = SpectralStatistics.snr(s, new LaserRmtPolicy().decide(spectrum).threshold());
        return new SpectrumSummary(spectrum.rows(), spectrum.cols(), s, decision, snr,
                SpectralStatistics.snrOverLargest(snr, s), SpectralStatistics.conditionNumber(s),
                SpectralStatistics.frobeniusNorm(s), SpectralStatistics.energyKept(s, decision.k()),
                SpectralStatistics.frobeniusErrorAtRank(s, decision.k()));
    }

    /** A copy of the singular values. */
    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpectrumSummary x && rows == x.rows && cols == x.cols
                && Arrays.equals(singularValues, x.singularValues) && decision.equals(x.decision)
                && Double.compare(snr, x.snr) == 0 && Double.compare(snrOverSmax, x.snrOverSmax) == 0
                && Double.compare(conditionNumber, x.conditionNumber) == 0
                && Double.compare(frobeniusNorm, x.frobeniusNorm) == 0
                && Double.compare(energyKept, x.energyKept) == 0
                && Double.compare(frobeniusErrorAtK, x.frobeniusErrorAtK) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, cols, Arrays.hashCode(singularValues), decision, snr, snrOverSmax,
                conditionNumber, frobeniusNorm, energyKept, frobeniusErrorAtK);
    }

    @Override
    public String toString() {
        return "SpectrumSummary[" + rows + "x" + cols + ", " + decision.policy() + " k=" + decision.k()
                + ", snr=" + snr + "]";
    }
}
