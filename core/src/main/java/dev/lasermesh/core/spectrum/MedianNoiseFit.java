package dev.lasermesh.core.spectrum;

/**
 * The entry noise level of a matrix fitted from its median singular value, assuming the bulk of
 * the spectrum is Marchenko–Pastur noise (Gavish &amp; Donoho, "The Optimal Hard Threshold for
 * Singular Values is 4/√3", IEEE Trans. Inf. Theory 60(8), 2014): for an n × m noise matrix of entry
 * standard deviation σ the median of S² is about σ²·n·μ_β, so σ̂ = median(S) / √(n·μ_β).
 *
 * @param median   median(S), NumPy's median
 * @param mpMedian μ_β, the median of the unit-variance MP law of ratio β
 * @param sigma    σ̂
 */
public record MedianNoiseFit(double median, double mpMedian, double sigma) {

    /** Fits σ̂ to a spectrum. */
    public static MedianNoiseFit of(SingularSpectrum spectrum) {
        double median = Quantiles.median(spectrum.values());
        double mpMedian = MarchenkoPastur.withRatio(spectrum.beta()).median();
        return new MedianNoiseFit(median, mpMedian, median / Math.sqrt(spectrum.largerDim() * mpMedian));
    }
}
