package dev.lasermesh.core.lora;

import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankDecision;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectralStatistics;

/**
 * The spectrum statistics of one matrix (W or W') that {@code lora analyze} compares.
 *
 * @param k               the policy's rank
 * @param threshold       the policy's singular value threshold (null for policies without one)
 * @param sigma           the noise level the policy estimated, when it has one (laserRMT's IQR/1.349)
 * @param snr             Spectrum's SNR at laserRMT's threshold ({@link SpectralStatistics#spectrumSnr})
 * @param snrOverSigmaMax snr / S[0], Spectrum's score
 * @param sigmaMax        S[0]
 * @param frobeniusNorm   √ΣS²
 */
public record SpectrumSide(int k, Double threshold, Double sigma, double snr, double snrOverSigmaMax, double sigmaMax,
                           double frobeniusNorm) {

    /** The statistics of {@code spectrum} with {@code policy}'s decision. */
    public static SpectrumSide of(SingularSpectrum spectrum, RankPolicy policy) {
        RankDecision decision = policy.decide(spectrum);
        double[] s = spectrum.values();
        double snr = SpectralStatistics.spectrumSnr(s, new LaserRmtPolicy().decide(spectrum).threshold());
        return new SpectrumSide(decision.k(), decision.threshold(), decision.inputs().get("sigma"), snr,
                SpectralStatistics.snrOverLargest(snr, s), spectrum.largest(), SpectralStatistics.frobeniusNorm(s));
    }
}
