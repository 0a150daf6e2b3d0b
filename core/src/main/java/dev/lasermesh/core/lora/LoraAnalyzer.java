package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import java.util.List;

/**
 * {@code lora analyze} for one adapted matrix: reads W (through the base quantization), merges W' as
 * a merged model would store it, computes both spectra with the backend, ΔW's spectrum from the
 * factors ({@link LowRankDelta#spectrum}) and its overlap with W's top-k subspace (k = the policy's
 * rank of W). One matrix in memory at a time.
 */
public final class LoraAnalyzer {

    private final LinearAlgebra linearAlgebra;
    private final RankPolicy policy;

    public LoraAnalyzer(LinearAlgebra linearAlgebra, RankPolicy policy) {
        this.linearAlgebra = linearAlgebra;
        this.policy = policy;
    }

    public AdaptedMatrixAnalysis analyze(BaseWeights base, LoraAdapter adapter, AdaptedMatrix adapted) {
        return analyzeWithSpectra(base, adapter, adapted).analysis();
    }

    /** {@link #analyze} with the singular values of W and W' it computed, for a chart of both spectra. */
    public AdaptedMatrixSpectra analyzeWithSpectra(BaseWeights base, LoraAdapter adapter, AdaptedMatrix adapted) {
        MatrixRef m = adapted.matrix();
        DenseMatrix w = base.read(m);
        LowRankDelta delta = adapter.delta(adapted);
        DenseMatrix merged = LoraMerge.rounded(w, delta, m.dtype());
        SingularSpectrum spectrumOfW = spectrum(w);
        SingularSpectrum spectrumOfMerged = spectrum(merged);
        SpectrumSide before = SpectrumSide.of(spectrumOfW, policy);
        SpectrumSide after = SpectrumSide.of(spectrumOfMerged, policy);
        DeltaSpectrum deltaSpectrum = delta.spectrum(linearAlgebra);
        SubspaceOverlap overlap = SubspaceOverlap.of(linearAlgebra.topK(w, before.k()), deltaSpectrum, linearAlgebra);
        double deltaNorm = deltaSpectrum.frobeniusNorm();
        AdaptedMatrixAnalysis analysis = new AdaptedMatrixAnalysis(m.name(), m.label(), List.of(m.rows(), m.cols()),
                before, after, deltaSpectrum.singularValues(), deltaNorm, deltaNorm / before.frobeniusNorm(), overlap);
        return new AdaptedMatrixSpectra(analysis, spectrumOfW.values(), spectrumOfMerged.values());
    }

    private SingularSpectrum spectrum(DenseMatrix m) {
        return new SingularSpectrum(linearAlgebra.singularValues(m), m.rows(), m.cols());
    }
}
